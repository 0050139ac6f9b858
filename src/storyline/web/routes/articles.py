"""Routes for the articles area (being written)."""

from __future__ import annotations

from fastapi import APIRouter

pages = APIRouter()
api = APIRouter()
