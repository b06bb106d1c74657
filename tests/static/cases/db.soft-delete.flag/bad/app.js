const express = require('express');
const app = express();
app.use(express.json());

app.delete('/todos/:id', (req, res) => { db.run('DELETE FROM todos WHERE id = ?', [req.params.id]); res.status(204).end(); });
