// Photo upload and tag search service (Express + multer).
const express = require('express');
const multer = require('multer');
const path = require('path');

const app = express();
app.use(express.json());
const upload = multer({ dest: path.join(__dirname, 'uploads') });
const photos = [];

app.post('/photos', upload.single('photo'), (req, res) => {
  if (!req.file) return res.status(400).json({ error: 'photo is required' });
  if (!['image/png', 'image/jpeg'].includes(req.file.mimetype)) {
    return res.status(400).json({ error: 'only png and jpeg' });
  }
  const photo = { id: photos.length + 1, name: req.file.originalname, tags: req.body.tags || '' };
  photos.push(photo);
  res.status(201).json(photo);
});

app.get('/photos/search', (req, res) => {
  const { tag } = req.query;
  if (typeof tag !== 'string' || !tag) return res.status(400).json({ error: 'tag is required' });
  const rx = new RegExp(tag, 'i');
  res.json(photos.filter((p) => rx.test(p.tags)));
});

app.get('/photos', (req, res) => {
  const count = parseInt(req.query.count, 10) || 10;
  res.json(Array.from({ length: count }, (_, i) => photos[i]).filter(Boolean));
});

app.listen(process.env.PORT || 3000);
