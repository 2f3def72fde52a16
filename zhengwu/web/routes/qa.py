"""HTTP routes of the qa area."""

from fastapi import APIRouter

router = APIRouter()
