const express = require('express');
const PORT = process.env.PORT || 3000;
const JWT_SECRET = process.env.JWT_SECRET || "changeme";
const app = express();
app.listen(PORT);
