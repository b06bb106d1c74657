const express = require('express');
const app = express();
app.use(express.json());

const multer = require('multer');
const upload = multer({ limits: { fileSize: 1024 * 1024 }, fileFilter: (req, file, cb) => cb(null, file.mimetype === 'image/png') });
app.post('/upload', upload.single('file'), (req, res) => res.json({ ok: true }));
