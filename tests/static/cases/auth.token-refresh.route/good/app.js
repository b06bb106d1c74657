const express = require('express');
const app = express();
app.use(express.json());

const jwt = require('jsonwebtoken');
app.post('/login', (req, res) => { res.json({ token: jwt.sign({ id: 1 }, process.env.JWT_SECRET, { expiresIn: '15m' }) }); });
app.post('/refresh', (req, res) => { res.json({ token: jwt.sign({ id: 1 }, process.env.JWT_SECRET, { expiresIn: '15m' }) }); });
