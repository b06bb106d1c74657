"""Express routes whose handlers read a validated object: the field names come from the
validation schema named in the route's middleware chain (Joi, zod, express-validator), defined
in another module of the repo."""

from __future__ import annotations

import textwrap
from pathlib import Path

from harness.app import detect_app

FILES = {
    "package.json": '{"name": "x", "dependencies": {"express": "5.1.0", "joi": "18.0.0"}}',
    "src/app.js": """
        const express = require('express');
        const projects = require('./routes/projects');
        const auth = require('./routes/auth');
        const app = express();
        app.use(express.json());
        app.use('/api/v1/projects', projects);
        app.use('/api/v1/auth', auth);
        app.listen(process.env.PORT || 3000);
    """,
    "src/validation/schemas.js": """
        const Joi = require('joi');
        const password = Joi.string().min(12).pattern(/[A-Z]/, 'upper case').required();
        module.exports = {
          register: Joi.object({
            email: Joi.string().email().required(),
            password,
            'display-name': Joi.string().max(40),
          }),
          projectCreate: Joi.object({
            name: Joi.string().trim().min(1).max(120).required(),
            tags: Joi.array().items(Joi.object({ label: Joi.string() })),
            status: Joi.string().valid('active', 'done').default('active'),
          }),
          pageQuery: Joi.object({ page: Joi.number().integer().min(1), limit: Joi.number() }),
        };
    """,
    "src/routes/projects.js": """
        const express = require('express');
        const validate = require('../middleware/validate');
        const schemas = require('../validation/schemas');
        const controller = require('../controllers/projects');
        const router = express.Router();
        router.get('/', validate(schemas.pageQuery, 'query'), controller.list);
        router.post('/', validate(schemas.projectCreate), controller.create);
        module.exports = router;
    """,
    "src/routes/auth.js": """
        const express = require('express');
        const { z } = require('zod');
        const { body } = require('express-validator');
        const { validateBody } = require('../middleware/validate');
        const { register } = require('../validation/schemas');
        const loginSchema = z.object({ username: z.string().min(3), secret: z.string() });
        const router = express.Router();
        router.post('/register', validateBody(register), (req, res) => res.status(201).end());
        router.post('/login', validateBody(loginSchema), (req, res) => res.end());
        router.post('/reset', body('email').isEmail(), (req, res) => res.end());
        router.post('/invite', async (req, res) => {
          const data = loginSchema.parse(req.body);
          res.json(data);
        });
        module.exports = router;
    """,
    "src/middleware/validate.js": "module.exports = (schema) => (req, res, next) => next();\n",
    "src/controllers/projects.js": "module.exports = { list() {}, create() {} };\n",
}


def test_schema_fields_of_validators_in_the_chain(tmp_path: Path) -> None:
    for rel, text in FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(textwrap.dedent(text).lstrip())
    routes = {(r.method, r.path): r for r in detect_app(tmp_path).routes}
    listing = routes[("GET", "/api/v1/projects")]
    assert listing.query_params == ["page", "limit"] and listing.body_fields == []
    create = routes[("POST", "/api/v1/projects")]
    assert create.body_fields == ["name", "tags", "status"]  # nested keys are not fields
    assert create.body_kind == "json"
    register = routes[("POST", "/api/v1/auth/register")]
    assert register.body_fields == ["email", "password", "display-name"]  # shorthand, quoted
    assert routes[("POST", "/api/v1/auth/login")].body_fields == ["username", "secret"]  # zod
    assert routes[("POST", "/api/v1/auth/reset")].body_fields == ["email"]  # express-validator
    assert routes[("POST", "/api/v1/auth/invite")].body_fields == ["username", "secret"]
