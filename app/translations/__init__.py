from flask import Blueprint

bp = Blueprint("translations", __name__)
