"""One module per area; each exposes `router`. `pages` (the home page) comes last. The OpenAI-compatible `/v1`
router lives in the gateway (zhengwu/gateway/openai_api.py): it is the door itself, seen from outside."""

from zhengwu.gateway.openai_api import router as openai_v1

from zhengwu.web.routes import (admin, admin_backends, admin_dashboard, admin_kb, admin_keys, admin_quotas,
                                admin_users, apidocs, auth, gateway, hotline, hotline_assist, hotline_classify,
                                hotline_hotspots, hotline_jobs, kb, match, match_pages, office, oidc, ops, pages, qa,
                                search, writing)

ROUTERS = [ops.router, openai_v1, apidocs.router, auth.router, oidc.router, kb.router, search.router, gateway.router, admin.router,
           admin_users.router, admin_kb.router, admin_keys.router, admin_backends.router, admin_quotas.router,
           admin_dashboard.router, qa.router, writing.router, office.router, hotline.router, hotline_assist.router,
           hotline_classify.router, hotline_hotspots.router, hotline_jobs.router, match.router, match_pages.router,
           pages.router]
