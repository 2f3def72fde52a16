"""HTTP routes of the search area."""

from fastapi import APIRouter

router = APIRouter()
