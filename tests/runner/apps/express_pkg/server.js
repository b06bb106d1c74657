const express = require('express');
const todoRoutes = require('./routes/todos');

const app = express();
const PORT = process.env.PORT || 3000;
app.use(express.json());
app.use('/api/v1/todos', todoRoutes);
app.get('/health', (req, res) => res.json({ ok: true, env: process.env.NODE_ENV }));
app.get('/boom', () => { throw new Error('secret stack'); });

app.listen(PORT, '0.0.0.0', () => console.log(`listening on ${PORT}`));
