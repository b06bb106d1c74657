const express = require('express');
const app = express();
app.use(express.json());

const crypto = require('crypto');
const etag = crypto.createHash('sha256').update('x').digest('hex');
