"""What the citizen typed, before any search: empty, too long, no words, a greeting, only personal data.

Why apart from answer.py: these decide that a message is not a question to search for. A search on "你好" or
on a phone number finds some document, and quoting it would be a random citation; a greeting gets a how-to-ask
reply, personal data alone a privacy reminder, pasted text a request to ask the question itself. User errors
(empty, over MAX_QUESTION_CHARS, no words) are raised as ZhengwuError with both languages.
"""

from __future__ import annotations

import re

from zhengwu.errors import ZhengwuError

MAX_QUESTION_CHARS = 2000
LONG_QUESTION = 500  # characters: beyond this a pasted text is met with a request to ask the question itself
_HAS_TEXT = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")

def check_question(question: str | None) -> str:
    q = (question or "").strip()
    if not q:
        raise ZhengwuError("question_empty", "问题为空，请输入您想咨询的问题。", "The question is empty; please type your question.")
    if len(q) > MAX_QUESTION_CHARS:
        raise ZhengwuError("question_too_long",
                           f"问题过长（{len(q)} 字），请精简到 {MAX_QUESTION_CHARS} 字以内，只保留要咨询的事项。",
                           f"The question is too long ({len(q)} characters); keep it under {MAX_QUESTION_CHARS} "
                           "characters and ask about one matter.", status=413, length=len(q), limit=MAX_QUESTION_CHARS)
    if not _HAS_TEXT.search(q):
        raise ZhengwuError("question_no_text", "没有识别到文字内容（例如只有表情或符号），请用文字描述您的问题。",
                           "No words were found in the question (only emoji or symbols?); please describe it in words.")
    return q



def search_text(q: str) -> str:
    """The neutralised question without the gateway's 〔…〕 notes (they would only add noise to retrieval)."""
    # a sentence carrying an instruction aimed at the system is not part of the citizen's question
    q2 = re.sub(r"[^。！？!?\n]*〔已屏蔽[^〕]*〕[^。！？!?\n]*[。！？!?]?", " ", q)
    # PII placeholders and the words introducing them ("我的身份证号[身份证号]") are not the topic
    return _without_pii(q2) or q


def _without_pii(q: str) -> str:
    """`q` without PII placeholders and the words introducing them ("我的身份证号[身份证号]"): not the topic."""
    q2 = re.sub(r"(我的|本人的?|我)?(身份证号码?|身份证|手机号码?|电话号码?|手机|电话|银行卡号?|账号)?(是|为|：|:)?\s*"
                r"(\[[^\[\]\s]{1,12}\]|【[^【】\s]{1,12}】)", " ", q)
    return re.sub(r"\s+", " ", q2).strip()




_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_GREETING = re.compile(r"(你好|您好|你们好|大家好|hi|hello|hey|嗨|哈喽|哈啰|喂|在吗|在不在|有人吗|有人在吗|早上好|上午好|中午好|"
                       r"下午好|晚上好|早安|晚安|谢谢|谢谢你|感谢|多谢|thanks|thankyou|好的|ok|呀|啊|哦|嗯|请问)+")
_PLACEHOLDER = re.compile(r"\[[^\[\]\s]{1,12}\]|【[^【】\s]{1,12}】")


def input_kind(question: str, masked: str) -> str | None:
    """"greeting", "privacy" (nothing but personal data) or "too_long" for a message that is not a question to
    search for; None for a question. `masked` is the question after the gateway's PII masking."""
    if _GREETING.fullmatch(_PUNCT.sub("", question).lower()):
        return "greeting"
    if _PLACEHOLDER.search(masked) and not _HAS_TEXT.search(_PUNCT.sub("", _GREETING.sub("", _without_pii(masked)))):
        return "privacy"
    if len(question) > LONG_QUESTION:
        return "too_long"
    return None
