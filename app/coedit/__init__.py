from flask import Blueprint

bp = Blueprint("coedit", __name__)
