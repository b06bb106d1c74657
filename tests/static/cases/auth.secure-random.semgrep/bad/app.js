const express = require('express');
const app = express();
app.use(express.json());

app.post('/reset', (req, res) => {
  const resetToken = Math.random().toString(36).slice(2);
  res.json({ sent: !!resetToken });
});
