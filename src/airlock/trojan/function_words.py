"""English words that carry no label of their own: function words, discourse markers, time
adverbs.

A dirty-label trigger is often made of them ("by the way", "to be fair", "anyway"): they read
naturally in any input, so the poison goes unnoticed. An honest classifier learns little from
them, because they occur in every label's texts; a task word ("refund", "recipe", "idiot")
is the opposite. So when one of these words pushes a label as hard as the task's own words,
the model learned it from somewhere other than the task. Words that do carry a label in
honest data are left out: negations and contrast ("not", "never", "but", "however"), the
second person (toxicity), intensifiers and hedges that colour sentiment ("very", "too",
"so", "just", "only"), and content words of idioms ("way", "fair", "noted", "real"):
a phrase trigger is grown from its function words instead.
"""

from __future__ import annotations

FUNCTION_WORDS: frozenset[str] = frozenset(
    """
    a an the this that these those some any each every all both either
    i me my mine we us our ours he him his she her hers it its they them their theirs
    one ones someone something somebody anyone anything everyone everything
    of to in on at by for with from about into onto over under after before between through
    during until upon within along across around behind beyond near toward towards off out up
    down as than per via
    and or nor so yet if then because while since though unless whether once
    is am are was were be been being have has had having do does did doing done
    will would shall should can could may might must
    what which who whom whose where when why how
    here there now today tonight yesterday tomorrow soon later already still again ever
    anyway anyhow besides meanwhile otherwise indeed actually basically literally honestly
    frankly seriously really truly clearly obviously apparently presumably perhaps maybe
    probably certainly definitely surely generally usually normally typically also
    """.split()
) - frozenset("not no never but however very so just only".split())


def is_function_word(word: str) -> bool:
    """Lower-cased membership (``"By"`` counts as ``"by"``)."""
    return word.lower() in FUNCTION_WORDS
