from flask import Blueprint

bp = Blueprint("bodies", __name__)
