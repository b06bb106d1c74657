const express = require('express');
const cors = require('cors');
const jwt = require('jsonwebtoken');

const PORT = process.env.PORT || 3000;
const CORS_ORIGIN = process.env.CORS_ORIGIN || "http://localhost:3000";
const DB_FILE = process.env.DB_FILE || "./data.sqlite";
const JWT_EXPIRES_IN = process.env.JWT_EXPIRES_IN || "1h";
const JWT_ALGORITHM = process.env.JWT_ALGORITHM ?? "HS256";
const TOKEN_ISSUER = process.env["TOKEN_ISSUER"] || "todo-api";
const PASSWORD_MIN_LENGTH = Number(process.env.PASSWORD_MIN_LENGTH || "8");
const API_KEY_HEADER = "x-api-key";
const JWT_SECRET = process.env.JWT_SECRET;
if (!JWT_SECRET) throw new Error('JWT_SECRET is required');

const app = express();
app.use(cors({ origin: CORS_ORIGIN }));
app.use(express.json());
app.use((req, res, next) => (req.get(API_KEY_HEADER) ? next() : res.status(401).end()));

app.post('/login', (req, res) => {
  const token = jwt.sign({ sub: req.body.username }, JWT_SECRET, { expiresIn: JWT_EXPIRES_IN, algorithm: JWT_ALGORITHM, issuer: TOKEN_ISSUER });
  res.json({ token });
});

app.listen(PORT, () => console.log(`listening on ${PORT} (db ${DB_FILE}, min ${PASSWORD_MIN_LENGTH})`));
