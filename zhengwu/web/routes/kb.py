"""HTTP routes of the kb area."""

from fastapi import APIRouter

router = APIRouter()
