const express = require('express');
const app = express();
app.use(express.json());

const { randomUUID } = require('crypto');
app.use((req, res, next) => { res.set('X-Request-ID', req.get('X-Request-ID') || randomUUID()); next(); });
