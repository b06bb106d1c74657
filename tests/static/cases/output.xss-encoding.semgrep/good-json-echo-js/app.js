const express = require('express');
const app = express();
app.use(express.json());

app.post('/echo', (req, res) => {
  res.send({ received: req.body.message, at: Date.now() });
});

app.get('/greet', (req, res) => {
  res.json({ greeting: `Hello ${req.query.name}` });
});

app.listen(3000);
