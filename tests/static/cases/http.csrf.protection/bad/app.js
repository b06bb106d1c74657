const express = require('express');
const app = express();
app.use(express.json());

const session = require('express-session');
app.use(session({ secret: process.env.SESSION_SECRET }));
app.post('/todos', (req, res) => { req.session.last = Date.now(); res.json({}); });
