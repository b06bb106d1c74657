const express = require('express');
const app = express();
app.use(express.json());

app.post('/login', (req, res) => { console.log('login attempt', req.body.email); return res.status(401).json({ error: 'Invalid credentials' }); });
