const express = require('express');
const app = express();
app.use(express.json());

const axios = require('axios');
const http = axios.create({ timeout: 5000 });
app.get('/w', async (req, res) => { const r = await http.get('https://api.example.com/w'); res.json(r.data); });
