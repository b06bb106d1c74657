const express = require('express');
const app = express();
app.use(express.json());

const fs = require('fs');
app.get('/cfg', (req, res) => { res.json(JSON.parse(fs.readFileSync('cfg.json'))); });
