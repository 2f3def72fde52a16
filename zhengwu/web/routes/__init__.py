"""One module per area; each exposes `router`. Order matters only for the pages' catch-alls."""

from zhengwu.web.routes import ops, kb, gateway, qa, writing, pages

ROUTERS = [ops.router, kb.router, gateway.router, qa.router, writing.router, pages.router]
