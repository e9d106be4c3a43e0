"""Staff: the prior decisions of a document (archive.prior) — what it cites and what cites it, followed, and the
same agency's earlier documents on the same matter — as a page and as JSON."""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, jsonify, render_template

from archive.prior import MAX_DEPTH, prior_decisions

from .auth import login_required, visibility
from .documents import CITES_LABELS
from .errors import wants_json
from .params import archive

bp = Blueprint("staff_prior", __name__, url_prefix="/staff")


@bp.route("/doc/<doc_id>/prior")
@login_required("viewer")
def prior(doc_id: str):
    """The document's prior decisions, newest first; 404 as for any document the caller may not see."""
    doc = archive().document(doc_id, visibility())
    found = prior_decisions(archive(), doc_id, visibility()) if doc else None
    if doc is None or found is None:
        abort(404)
    if wants_json():
        return jsonify(asdict(found))
    return render_template("staff_prior.html", doc=doc, prior=found, max_depth=MAX_DEPTH, labels=CITES_LABELS)
