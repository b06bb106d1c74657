const express = require('express');
const mongoose = require('mongoose');
const bcrypt = require('bcryptjs');
const { User, Note } = require('./models');
const { sign, requireAuth } = require('./auth');

const MONGO_URI = process.env.MONGO_URI || 'mongodb://localhost:27017/notes';
const PORT = Number(process.env.PORT || 3000);

const app = express();
app.use(express.json({ limit: '100kb' }));

app.get('/health', (_req, res) => res.json({ status: 'ok' }));

app.post('/auth/register', async (req, res, next) => {
  try {
    const { username, password } = req.body;
    if (!username || !password || String(password).length < 8) {
      return res.status(400).json({ error: 'username and a password of 8+ characters required' });
    }
    if (await User.exists({ username })) {
      return res.status(409).json({ error: 'username taken' });
    }
    const user = await User.create({ username, passwordHash: await bcrypt.hash(password, 10) });
    return res.status(201).json(user);
  } catch (err) {
    return next(err);
  }
});

app.post('/auth/login', async (req, res, next) => {
  try {
    const { username, password } = req.body;
    const user = await User.findOne({ username });
    if (!user || !(await bcrypt.compare(String(password), user.passwordHash))) {
      return res.status(401).json({ error: 'invalid credentials' });
    }
    return res.json({ token: sign(user) });
  } catch (err) {
    return next(err);
  }
});

app.get('/notes', requireAuth, async (req, res, next) => {
  try {
    const filter = { owner: req.user.sub };
    if (req.query.title) filter.title = req.query.title;
    const notes = await Note.find(filter).sort({ createdAt: -1 }).limit(100);
    return res.json(notes);
  } catch (err) {
    return next(err);
  }
});

app.post('/notes', requireAuth, async (req, res, next) => {
  try {
    const { title, body } = req.body;
    if (typeof title !== 'string' || !title.trim()) {
      return res.status(400).json({ error: 'title is required' });
    }
    const note = await Note.create({ title, body, owner: req.user.sub });
    return res.status(201).json(note);
  } catch (err) {
    return next(err);
  }
});

function ownNote(req) {
  if (!mongoose.isValidObjectId(req.params.id)) return null;
  return Note.findOne({ _id: req.params.id, owner: req.user.sub });
}

app.get('/notes/:id', requireAuth, async (req, res, next) => {
  try {
    const note = await ownNote(req);
    return note ? res.json(note) : res.status(404).json({ error: 'not found' });
  } catch (err) {
    return next(err);
  }
});

app.put('/notes/:id', requireAuth, async (req, res, next) => {
  try {
    const note = await ownNote(req);
    if (!note) return res.status(404).json({ error: 'not found' });
    const { title, body } = req.body;
    if (typeof title === 'string') note.title = title;
    if (typeof body === 'string') note.body = body;
    await note.save();
    return res.json(note);
  } catch (err) {
    return next(err);
  }
});

app.delete('/notes/:id', requireAuth, async (req, res, next) => {
  try {
    const note = await ownNote(req);
    if (!note) return res.status(404).json({ error: 'not found' });
    await note.deleteOne();
    return res.status(204).end();
  } catch (err) {
    return next(err);
  }
});

// eslint-disable-next-line no-unused-vars
app.use((err, _req, res, _next) => {
  // body-parser errors carry their status (400 malformed JSON, 413 too large)
  const invalid = err.name === 'ValidationError' || err.name === 'CastError';
  const status = err.status || err.statusCode || (invalid ? 400 : 500);
  if (status >= 500) console.error(err);
  res.status(status).json({ error: status >= 500 ? 'internal error' : err.message });
});

mongoose
  .connect(MONGO_URI, { serverSelectionTimeoutMS: 10000 })
  .then(() => {
    app.listen(PORT, () => console.log(`notes api listening on ${PORT}`));
  })
  .catch((err) => {
    console.error('cannot connect to MongoDB', err.message);
    process.exit(1);
  });
