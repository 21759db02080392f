"""English: the words around a name that say it names an organization (read by
graph.resolve.context through `Cues`). Each phrase is matched case-insensitively, its
spaces standing for any run of whitespace."""

# Kinds of organization that follow an organization's name ("the Globe website"), never a
# person's used as a modifier: "the Obama foundation", "the Trump campaign" are left out.
KINDS_AFTER = (
    "news agency", "agency", "website", "web site", "site", "newspaper", "daily", "magazine", "channel",
    "network", "broadcaster", "outlet", "radio", "television", "ministry", "militia",
)  # fmt: skip

# Kinds of organization written before its name ("la société Michelin"): English puts
# them after.
KINDS_BEFORE: tuple[str, ...] = ()

# An office held in an organization, then one of OFFICE_LINKS, maybe an article
# (names.LEADING_ARTICLES) and the name: "the head of X", "a spokesman for the X".
OFFICES = (
    "head", "chief", "director", "leader", "member", "members", "spokesman", "spokeswoman", "spokesperson",
    "founder", "chair", "chairman", "chairwoman", "boss", "editor", "official", "officials", "staff",
    "employee", "employees",
)  # fmt: skip
OFFICE_LINKS = ("of", "for", "at")
