const express = require('express');
const app = express();
app.use(express.json());

const axios = require('axios');
app.get('/w', async (req, res) => { const r = await axios.get('https://api.example.com/w'); res.json(r.data); });
