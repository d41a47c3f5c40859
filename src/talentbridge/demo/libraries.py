"""Demo step: the 18 libraries and about nine synthetic sample resources in each.

Three per library are generated from the library's topics (DOCX in Chinese, Markdown in
English, a bilingual PPTX); six more per library are written by us in
``data/library_resources.toml`` (Chinese, English or bilingual files of every kind, a
few video links), with varied wording: abbreviations, deprecated synonyms, English-only
and Chinese-only texts. They go through the real services with the demo users' own
rights: the platform admin creates the libraries, the demo teacher uploads, the demo
college admin publishes. Every resource is labelled 示例 / sample. The search relevance
set (``benchmarks/library_eval/``) refers to them by library code and file name.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.policy import Principal
from talentbridge.errors import TalentBridgeError
from talentbridge.library.resources import publish_resource, submit_resource
from talentbridge.library.samples import docx_bytes, markdown_bytes, pptx_bytes, xlsx_bytes
from talentbridge.library.seed import LIBRARIES, LibrarySeed, seed_libraries
from talentbridge.store.engine import transaction
from talentbridge.store.library_tables import Library
from talentbridge.store.tables import User

LICENSE = "CC-BY-4.0"
WRITTEN = Path(__file__).parent / "data" / "library_resources.toml"
VIDEO_BASE = "https://example.org/talentbridge-demo/"


def _principal(session: Session, username: str) -> Principal:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise TalentBridgeError(f"demo user {username} was not created")
    return Principal.of(user)


def _files(seed: LibrarySeed) -> list[dict[str, object]]:
    (zh1, en1), (zh2, en2), (zh3, en3) = seed.topics[:3]
    return [
        {
            "title_zh": f"示例：{zh1}教学讲义",
            "title_en": f"Sample: {en1} lecture notes",
            "summary_zh": f"{seed.name_zh}课程讲义，介绍{zh1}与{zh2}。",
            "kind": "courseware",
            "level": "associate",
            "file_name": f"{seed.code}-lecture.docx",
            "data": docx_bytes(
                f"示例 {zh1}",
                [
                    f"本讲义为{seed.name_zh}课程的示例资源。",
                    f"学习目标：掌握{zh1}的基本流程，了解{zh2}和{zh3}。",
                    f"课堂练习：结合案例说明{zh1}的操作要点。",
                ],
                table=[["知识点", "要求"], [zh1, "掌握"], [zh2, "理解"]],
            ),
        },
        {
            "title_zh": f"示例：{zh2}操作指南",
            "title_en": f"Sample: {en2} guide",
            "summary_en": f"A short English guide to {en2} in {seed.name_en.lower()}.",
            "kind": "document",
            "level": "any",
            "file_name": f"{seed.code}-guide.md",
            "data": markdown_bytes(
                f"Sample guide: {en2}",
                [
                    ("Purpose", f"This sample explains {en2} and how it relates to {en1}."),
                    ("Steps", f"1. Review the {en3} requirements.\n2. Apply {en2} step by step."),
                ],
            ),
        },
        {
            "title_zh": f"示例：{zh3}双语练习",
            "title_en": f"Sample: {en3} bilingual exercises",
            "kind": "exercise",
            "level": "secondary",
            "languages": ["zh", "en"],
            "file_name": f"{seed.code}-exercises.pptx",
            "data": pptx_bytes(
                f"示例 Sample: {zh3} {en3}",
                [
                    (f"{zh3} / {en3}", [f"术语：{zh3} = {en3}", f"练习：说明{zh1}的流程"]),
                    ("Exercise", [f"Explain {en3} in English.", f"Translate: {zh2}"]),
                ],
            ),
        },
    ]


def written_resources() -> list[dict[str, object]]:
    """The hand-written sample resources (``data/library_resources.toml``), as read."""
    with WRITTEN.open("rb") as handle:
        return list(tomllib.load(handle)["resource"])


def generated_keys(seed: LibrarySeed) -> list[str]:
    """File names of the three resources generated from a library's topics."""
    return [str(fields["file_name"]) for fields in _files(seed)]


def _written_fields(spec: dict[str, object]) -> dict[str, object]:
    """Keyword arguments of ``submit_resource`` for one hand-written resource."""
    key = str(spec["key"])
    title_zh, title_en = str(spec.get("title_zh", "")), str(spec.get("title_en", ""))
    body = [str(line) for line in spec.get("body", [])]  # type: ignore[attr-defined]
    title = title_zh or title_en
    fields: dict[str, object] = {
        "title_zh": f"示例：{title_zh}" if title_zh else "",
        "title_en": f"Sample: {title_en}" if title_en else "",
        "summary_zh": str(spec.get("summary_zh", "")),
        "summary_en": str(spec.get("summary_en", "")),
        "kind": str(spec["kind"]),
        "level": str(spec["level"]),
        "languages": list(spec["languages"]),  # type: ignore[call-overload]
    }
    if spec["kind"] == "video":
        fields["url"] = VIDEO_BASE + key
        return fields
    fields["file_name"] = key
    if key.endswith(".docx"):
        fields["data"] = docx_bytes(f"示例 {title}", body)
    elif key.endswith(".md"):
        fields["data"] = markdown_bytes(f"Sample: {title}", [("Notes", "\n\n".join(body))])
    elif key.endswith(".pptx"):
        fields["data"] = pptx_bytes(f"示例 Sample: {title}", [(title, body)])
    elif key.endswith(".xlsx"):
        fields["data"] = xlsx_bytes("sample", [["示例 Sample", title], *[[line] for line in body]])
    else:
        raise TalentBridgeError(f"sample resource {key}: unknown file type")
    return fields


def seed_library_demo(factory: sessionmaker[Session], data_dir: Path, max_bytes: int) -> str:
    """Create the libraries and sample resources; a one-line summary."""
    with transaction(factory) as session:
        admin = _principal(session, "demo-admin")
        editor = _principal(session, "demo-college")
        teacher = _principal(session, "demo-teacher")
        created = seed_libraries(session, principal=admin, is_sample=True)
        libraries = {lib.code: lib for lib in session.scalars(select(Library))}
        published = pending = 0
        for index, seed in enumerate(LIBRARIES):
            for number, fields in enumerate(_files(seed)):
                resource = submit_resource(
                    session,
                    principal=teacher,
                    library_id=libraries[seed.code].id,
                    data_dir=data_dir,
                    max_bytes=max_bytes,
                    author="示例教师 Demo teacher",
                    license=LICENSE,
                    is_sample=True,
                    **fields,  # type: ignore[arg-type]
                )
                if number == 2 and index % 3 == 0:  # a few wait for review
                    pending += 1
                    continue
                publish_resource(session, principal=editor, resource_id=resource.id)
                published += 1
        for spec in written_resources():
            resource = submit_resource(
                session,
                principal=teacher,
                library_id=libraries[str(spec["library"])].id,
                data_dir=data_dir,
                max_bytes=max_bytes,
                author="示例教师 Demo teacher",
                license=LICENSE,
                is_sample=True,
                **_written_fields(spec),  # type: ignore[arg-type]
            )
            if spec.get("status") == "review":
                pending += 1
                continue
            publish_resource(session, principal=editor, resource_id=resource.id)
            published += 1
    return (
        f"{created} libraries; {published} sample resources published, {pending} waiting for review"
    )
