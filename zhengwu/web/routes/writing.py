"""HTTP routes of the writing area."""

from fastapi import APIRouter

router = APIRouter()
