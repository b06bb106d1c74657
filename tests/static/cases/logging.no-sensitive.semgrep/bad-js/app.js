const express = require('express');
const app = express();
app.use(express.json());

app.post('/register', (req, res) => { console.log('register', req.body); res.json({}); });
