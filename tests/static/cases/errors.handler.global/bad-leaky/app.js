const express = require('express');
const app = express();
app.use(express.json());

app.use((err, req, res, next) => { res.status(500).json({ error: err.message, stack: err.stack }); });
