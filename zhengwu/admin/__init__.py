"""Administration features behind the admin console: quotas and rate limits, and the dashboard figures.

The web pages (zhengwu/web/routes/admin_*.py) hold no SQL: they call these modules and the identity, kb and
gateway functions, which check permissions and audit every change.
"""
