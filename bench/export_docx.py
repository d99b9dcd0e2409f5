"""Export of a 500-paragraph document: the project's DOCX and PDF against bare baselines.

DOCX: `app.exports` (styles, key bookmarks, paragraph numbers, formatted runs, hyperlinks)
against python-docx writing the same paragraphs as plain `add_paragraph(text)` calls.
PDF: `app.exports` (Noto subsets chosen per text, page header and numbers) against WeasyPrint
rendering the same HTML with no font set-up. Only the ratios matter; each figure is the
median of `--repeat` runs, in a fresh SQLite database. The DOCX runs once with the cache of
parsed paragraphs cleared before each run (cold) and once with it warm (a version downloaded
again, or paragraphs that repeat across versions).

    .venv/bin/python bench/export_docx.py --paragraphs 500 --repeat 5
"""

import argparse
import io
import statistics
import tempfile
import time

from docx import Document as WordDocument


def _paragraphs(count: int) -> list[str]:
    texts = ["# Benchmark declaration"]
    for n in range(1, count):
        if n % 50 == 0:
            texts.append(f"## Section {n // 50}")
        else:
            texts.append(
                f"Paragraph {n}: stakeholders take part **as equals** in drafting, with "
                f"*every* version public and [the rules](https://example.org/rules/{n}) kept."
            )
    return texts


def _median(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-pdf", action="store_true")
    args = parser.parse_args()

    from app import create_app
    from app.config import TestConfig
    from app.documents.services import create_document
    from app.exports import content
    from app.exports.blocks import parse_block
    from app.exports.formats import html, pdf
    from app.exports.queries import export_version
    from app.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db"})
        with app.app_context(), app.test_request_context():
            db.create_all()
            texts = _paragraphs(args.paragraphs)
            document = create_document(title="Benchmark declaration", markdown="\n\n".join(texts))
            db.session.commit()
            plain = [p.text for p in document.current_version.paragraphs]

            def bare_docx():
                word = WordDocument()
                for text in plain:
                    word.add_paragraph(text)
                word.save(io.BytesIO())

            def cold():
                parse_block.cache_clear()
                export_version(document, None, "docx")

            cold_time = _median(cold, args.repeat)
            ours = _median(lambda: export_version(document, None, "docx"), args.repeat)
            bare = _median(bare_docx, args.repeat)
            print(
                f"DOCX  {args.paragraphs} paragraphs, paragraph cache cold: agora "
                f"{cold_time * 1000:.0f} ms, ratio {cold_time / bare:.2f}"
            )
            print(
                f"DOCX  {args.paragraphs} paragraphs: agora {ours * 1000:.0f} ms, "
                f"bare python-docx {bare * 1000:.0f} ms, ratio {ours / bare:.2f}"
            )
            if args.skip_pdf:
                return
            from weasyprint import HTML

            page = html(content.version_text(document, document.current_version), for_pdf=True)
            text = content.version_text(document, document.current_version)
            repeat = max(1, args.repeat // 2)
            ours = _median(lambda: pdf(text), repeat)
            bare = _median(lambda: HTML(string=page).write_pdf(), repeat)
            print(
                f"PDF   {args.paragraphs} paragraphs: agora {ours:.2f} s, "
                f"bare WeasyPrint {bare:.2f} s, ratio {ours / bare:.2f}"
            )


if __name__ == "__main__":
    main()
