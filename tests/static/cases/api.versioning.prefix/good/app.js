const express = require('express');
const app = express();
app.use(express.json());

const router = express.Router();
router.get('/todos', (req, res) => res.json([]));
app.use('/api/v1', router);
