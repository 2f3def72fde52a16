"""HTTP routes of the pages area."""

from fastapi import APIRouter

router = APIRouter()
