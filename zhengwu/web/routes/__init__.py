"""One module per area; each exposes `router`. `pages` (the home page) comes last."""

from zhengwu.web.routes import admin, apidocs, auth, gateway, kb, office, oidc, ops, pages, qa, search, writing

ROUTERS = [ops.router, apidocs.router, auth.router, oidc.router, kb.router, search.router, gateway.router, admin.router,
           qa.router, writing.router, office.router, pages.router]
