const express = require('express');

const app = express();
app.use(express.urlencoded({ extended: false }));

const posts = [];

function layout(title, content) {
  return `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>${title}</title></head>
<body>
  <h1>${title}</h1>
  ${content}
  <form method="POST" action="/posts">
    <input name="author" placeholder="Your name">
    <textarea name="message" placeholder="Say something"></textarea>
    <button type="submit">Post</button>
  </form>
</body>
</html>`;
}

app.get('/', (req, res) => {
  const items = posts
    .map((p) => `<li class="post"><strong>${p.author}</strong> wrote: <p>${p.message}</p></li>`)
    .join('\n');
  res.send(layout('Community forum', `<ul>${items}</ul>`));
});

app.post('/posts', (req, res) => {
  const author = (req.body.author || '').trim() || 'anonymous';
  const message = (req.body.message || '').trim();
  if (!message) {
    return res.status(400).send('Message cannot be empty');
  }
  posts.push({ author, message, at: Date.now() });
  res.redirect('/');
});

const PORT = process.env.PORT || 3000;
app.listen(PORT, () => console.log(`Forum running on port ${PORT}`));
