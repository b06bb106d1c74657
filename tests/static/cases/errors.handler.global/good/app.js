const express = require('express');
const app = express();
app.use(express.json());

app.use((err, req, res, next) => { console.error(err); res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error' } }); });
