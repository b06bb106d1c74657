const express = require('express');
const app = express();
app.use(express.json());

const rateLimit = require('express-rate-limit');
const limiter = rateLimit({ windowMs: 60000, max: 5 });
app.post('/login', limiter, (req, res) => res.json({}));
