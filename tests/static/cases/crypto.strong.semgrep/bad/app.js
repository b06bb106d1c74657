const express = require('express');
const app = express();
app.use(express.json());

const crypto = require('crypto');
const etag = crypto.createHash('sha1').update('x').digest('hex');
const agent = { rejectUnauthorized: false };
