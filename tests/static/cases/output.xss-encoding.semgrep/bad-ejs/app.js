const express = require('express');
const app = express();
app.set('view engine', 'ejs');
const posts = [];

app.get('/', (req, res) => {
  res.render('index', { posts });
});

app.listen(3000);
