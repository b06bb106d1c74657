// Product catalogue (Express): products are kept in memory and searched by a literal text; photos
// are uploaded with multer (at most 5 MB).
const express = require('express');
const multer = require('multer');
const os = require('os');

const app = express();
app.use(express.json());
const upload = multer({ dest: os.tmpdir(), limits: { fileSize: 5 * 1024 * 1024, files: 1 } });
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const products = [];

app.post('/products', (req, res) => {
  const { name, price } = req.body;
  if (typeof name !== 'string' || !name || name.length > 200) {
    return res.status(400).json({ error: 'name (1-200 characters) is required' });
  }
  if (typeof price !== 'number' || price < 0) {
    return res.status(400).json({ error: 'price must be a non-negative number' });
  }
  const product = { id: products.length + 1, name, price };
  products.push(product);
  res.status(201).json(product);
});

app.get('/products', (req, res) => res.json(products));

app.get('/products/search', (req, res) => {
  const { q } = req.query;
  if (typeof q !== 'string' || !q) return res.status(400).json({ error: 'q is required' });
  const rx = new RegExp(escapeRegExp(q), 'i');
  res.json(products.filter((p) => rx.test(p.name)));
});

app.post('/products/photos', upload.single('photo'), (req, res) => {
  if (!req.file) return res.status(400).json({ error: 'photo is required' });
  if (!['image/png', 'image/jpeg'].includes(req.file.mimetype)) {
    return res.status(400).json({ error: 'only png and jpeg' });
  }
  res.status(201).json({ name: req.file.originalname, size: req.file.size });
});

// multer's size refusals become 413 rather than the default 500
app.use((err, req, res, next) => {
  if (err instanceof multer.MulterError) return res.status(413).json({ error: err.message });
  return next(err);
});

app.listen(process.env.PORT || 3000);
