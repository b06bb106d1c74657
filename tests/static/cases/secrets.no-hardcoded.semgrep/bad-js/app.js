const express = require('express');
const app = express();
app.use(express.json());

const JWT_SECRET = process.env.JWT_SECRET || 'my-jwt-secret-key';
const DB = 'postgres://admin:hunter2@localhost/app';
