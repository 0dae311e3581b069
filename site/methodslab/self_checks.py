"""The self-checks: a pool of question variants per concept, drawn afresh for each try.

Each lesson teaches a few concepts (GET is safe, PUT answers 201 then 200, ...),
and each concept has three to five variants: the same idea asked another way.
A self-check draws one variant per concept; a retry draws variants the visitor
has not seen, so a pass shows understanding, not a copied answer key. The
options are shown in an order of the visitor's own (a seed in their session,
``visitor_orders``: right answers spread round-robin over the positions, so that
none holds more than MAX_SHARE of them, predictions included, whatever the seed),
or, on the page shared by everyone, in one fixed order balanced over positions.

The questions live beside the method facts (methods.py) and lean on them: a
question about a method's property names the fact (``fact``), and its right
answer is the option that states that fact's value, so the two cannot
disagree. Every other right answer is checked against the running site, or
against the rule it states, by tests/test_self_checks.py. Each explanation
names its source in a comment, and each question a hint: the place in its
lesson (an anchor) that answers it.
"""

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from methodslab.methods import METHODS, METHODS_BY_SLUG, Method, Option

# Fetch Standard, "CORS-safelisted method": a page may send these to another origin
# without a preflight; any other method (PUT, PATCH, DELETE) is preflighted with OPTIONS.
CORS_SAFELISTED_METHODS = ("GET", "HEAD", "POST")
# Fetch Standard, "CORS-safelisted request-header": the Content-Types a page may send to
# another origin without a preflight.
CORS_SAFELISTED_CONTENT_TYPES = (
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
)
# HTML Standard, the form element's method attribute: its keywords, and the state an
# invalid or missing value falls back to (the GET state).
FORM_METHOD_KEYWORDS = ("get", "post", "dialog")
FORM_METHOD_FALLBACK = "get"

GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS = (
    METHODS_BY_SLUG[slug] for slug in ("get", "head", "post", "put", "delete", "patch", "options")
)
#: The page of the GET vs POST guide, beside the lessons' slugs.
GUIDE = "get-vs-post"
#: The most variants a concept may have: one bit each in the visitor's record.
MAX_VARIANTS = 5


@dataclass(frozen=True)
class Fact:
    """A property of a method, as methods.py records it."""

    method: Method
    attribute: str

    @property
    def word(self) -> str:
        """Return the property's value: Yes, No, May or Only."""
        word: str = getattr(self.method, self.attribute).word
        return word


@dataclass(frozen=True)
class Question:
    """A question with one right option, given outright or by the fact it depends on."""

    key: str
    prompt: str
    options: tuple[Option, ...]
    fact: Fact | None = None
    answer: str = ""
    # Where its page answers it: an anchor id, or "page#anchor" on another page.
    hint: str = ""

    @property
    def right(self) -> str:
        """Return the key of the right option."""
        if self.fact is None:
            return self.answer
        stating = [option.key for option in self.options if option.states == self.fact.word]
        if len(stating) != 1:
            raise ValueError(f"{self.key}: {len(stating)} options state {self.fact.word}")
        return stating[0]

    def option(self, key: str) -> Option | None:
        """Return the option called ``key``, or None."""
        return next((option for option in self.options if option.key == key), None)


@dataclass(frozen=True)
class Concept:
    """One idea a page teaches, asked in three to five ways (its variants)."""

    key: str
    # What a student who masters it knows, as a summary's grid names it.
    title: str
    page: str  # a lesson's slug, or GUIDE
    variants: tuple[Question, ...]

    def hint(self, question: Question) -> tuple[str, str]:
        """Return the page (a slug or GUIDE) and the anchor where ``question`` is answered."""
        page, _, anchor = question.hint.rpartition("#")
        return page or self.page, anchor


@dataclass(frozen=True)
class FormScenario:
    """A form to sort into GET or POST: by what it asks for, then by what it carries."""

    key: str
    form: str
    changes_state: bool
    sensitive: bool

    @property
    def method(self) -> str:
        """Return the method the form should use, by the GET vs POST guide's rule."""
        # RFC 9110 §9.2.1: GET is safe, so a form that changes state uses POST;
        # §17.9: keep sensitive data out of the target URI, so such a form uses POST too.
        return "post" if self.changes_state or self.sensitive else "get"

    def question(self) -> Question:
        """Return the scenario as a question whose options explain themselves."""
        if self.changes_state:
            get_why = (
                "It changes something, and GET is safe: browsers, crawlers and prefetchers "
                "may send a GET again at any time, with nobody asking."
            )
            post_why = (
                "It changes something, which is what POST is for; the answer can then "
                "redirect with 303, so reloading never sends the form again."
            )
        elif self.sensitive:
            get_why = (
                "It only reads, but GET would put the data in the URL, which is kept in "
                "history, bookmarks and server logs."
            )
            post_why = (
                "It only reads, yet its data is sensitive: POST keeps it out of the URL, "
                "so out of history and logs."
            )
        else:
            get_why = (
                "It only reads, so GET fits: the result has a URL that can be bookmarked, "
                "shared, reloaded and cached."
            )
            post_why = (
                "It only reads, so POST gains nothing: the result would have no URL of its "
                "own, and reloading it would ask to send the form again."
            )
        return Question(
            self.key,
            f"Which method should this form use? {self.form}",
            (Option("get", "GET", get_why), Option("post", "POST", post_why)),
            answer=self.method,
            hint="choose",
        )


def safe_methods_text() -> str:
    """Return the methods the lessons teach as safe, from methods.py: "GET, HEAD and OPTIONS"."""
    names = [method.name for method in METHODS if method.safe.word == "Yes"]
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- GET ------------------------------------------------------------------------------------

GET_SAFE = Concept(
    "get-safe",
    "GET asks for no change: it is safe",
    "get",
    (
        Question(
            "crawler",
            "A shop's page links to /cart/empty, which empties the cart when followed. "
            "A search engine's crawler follows the link, and a cart is emptied. Who is at "
            "fault?",
            (
                # RFC 9110 §9.2.1: a client asks for no change with a safe method,
                # and may send one without the user asking (crawlers, prefetch).
                Option(
                    "shop",
                    "The shop: following a link sends GET, which asks for no change",
                    "GET is safe, so crawlers and prefetchers follow links freely. An action "
                    "that changes something belongs behind a form that sends POST.",
                    states="Yes",
                ),
                Option(
                    "crawler",
                    "The crawler: it should not follow links that change things",
                    "A crawler cannot know, and need not: a link sends GET, which is safe, "
                    "so sending it is meant to change nothing.",
                    states="No",
                ),
            ),
            fact=Fact(GET, "safe"),
            hint="meaning",
        ),
        Question(
            "prefetch",
            "A browser fetches the links of a page with GET before you click them, to show "
            "them faster. One of them, /logout, signs you out when fetched. Whose design is "
            "at fault?",
            (
                # RFC 9110 §9.2.1: a user agent may send safe requests on its own
                # (prefetching); a resource that changes state on GET breaks that promise.
                Option(
                    "browser",
                    "The browser's: it must skip links that change something",
                    "The browser may prefetch any link because GET is safe: it asks for no "
                    "change. It cannot tell which links a site misuses.",
                    states="No",
                ),
                Option(
                    "site",
                    "The site's: signing out changes state, so it belongs behind a POST",
                    "GET is safe, so a browser may send it without you asking. An action "
                    "that changes state needs an unsafe method, such as a POST form.",
                    states="Yes",
                ),
            ),
            fact=Fact(GET, "safe"),
            hint="meaning",
        ),
        Question(
            "log",
            "Each GET /report?id=7 makes the server write a line in its access log. Is GET "
            "still a safe method?",
            (
                # RFC 9110 §9.2.1: safe means the client does not request a change; an
                # implementation may have side effects, such as logging, that it did not ask for.
                Option(
                    "no",
                    "No: any request that changes something on the server is unsafe",
                    "Safety is about what the client asks for, not a guarantee about what a "
                    "server does: a log line is the server's own business.",
                    states="No",
                ),
                Option(
                    "yes",
                    "Yes: the client asked for no change; a log line is the server's choice",
                    "Safe means the request asks for no change, and the client is not "
                    "responsible for side effects such as logs.",
                    states="Yes",
                ),
            ),
            fact=Fact(GET, "safe"),
            hint="meaning",
        ),
    ),
)

GET_CONDITIONAL = Concept(
    "get-conditional",
    "A conditional GET: 304 Not Modified when the copy is still current",
    "get",
    (
        Question(
            "not-modified",
            "Your browser holds this page with its ETag, and asks for it again with "
            "If-None-Match carrying that tag. The page has not changed. What comes back?",
            (
                # RFC 9110 §13.1.2: If-None-Match false on GET or HEAD: 304;
                # on other methods: 412. §15.4.5: 304 has no content.
                Option(
                    "full",
                    "200 OK, with the whole page again",
                    "That would resend what you already hold. A matching tag means the "
                    "condition is false, and a GET then gets 304.",
                ),
                Option(
                    "304",
                    "304 Not Modified, with no body",
                    "The tag still matches, so the server says: use your copy. The answer "
                    "carries no content at all.",
                ),
                Option(
                    "412",
                    "412 Precondition Failed",
                    "412 is for methods other than GET and HEAD, such as a PUT whose "
                    "condition fails; a GET whose If-None-Match matches gets 304.",
                ),
            ),
            answer="304",
            hint="conditional",
        ),
        Question(
            "changed",
            "Your browser asks for GET /report with If-None-Match carrying the ETag of the "
            "copy it holds, but the report has changed since. What comes back?",
            (
                # RFC 9110 §13.1.2: when no tag matches, the condition is true and the
                # method is performed as if there were none: 200 with the new ETag (§8.8.3).
                Option(
                    "304",
                    "304 Not Modified",
                    "304 says your copy is still current; it is not, since the tag the "
                    "server has now differs from yours.",
                ),
                Option(
                    "412",
                    "412 Precondition Failed",
                    "A GET never gets 412 from If-None-Match; when the condition holds, "
                    "the GET is simply answered.",
                ),
                Option(
                    "200",
                    "200 OK, with the new report and its new ETag",
                    "No tag matches, so the condition holds and the server answers the GET "
                    "in full, with the tag of the new version.",
                ),
            ),
            answer="200",
            hint="conditional",
        ),
        Question(
            "since",
            "Your browser asks for GET /guide with If-Modified-Since set to yesterday. The "
            "guide was last modified a week ago. What comes back?",
            (
                # RFC 9110 §13.1.3: If-Modified-Since on GET: 304 when the representation
                # was not modified after the given date.
                Option(
                    "200",
                    "200 OK, with the whole guide",
                    "The guide has not changed since the date you gave, so sending it again "
                    "would waste the transfer.",
                ),
                Option(
                    "304",
                    "304 Not Modified: use the copy you hold",
                    "Nothing changed after the date you gave, so the condition is false and "
                    "a GET gets 304.",
                ),
                Option(
                    "412",
                    "412 Precondition Failed",
                    "412 answers a failed If-Match or If-Unmodified-Since; a false "
                    "If-Modified-Since on a GET gets 304.",
                ),
            ),
            answer="304",
            hint="conditional",
        ),
        Question(
            "body",
            "What does a 304 Not Modified answer to a conditional GET carry?",
            (
                # RFC 9110 §15.4.5: a 304 response is terminated by the end of its header
                # section; it carries no content, and the client uses its stored copy.
                Option(
                    "changes",
                    "Only the parts of the page that changed",
                    "HTTP has no such partial answer to a GET; 304 says nothing changed at all.",
                ),
                Option(
                    "page",
                    "The page again, marked as unchanged",
                    "Sending the page again is what 304 exists to avoid.",
                ),
                Option(
                    "none",
                    "No content: the browser shows the copy it kept",
                    "A 304 ends after its header fields; the content is the one the client "
                    "already holds.",
                ),
            ),
            answer="none",
            hint="conditional",
        ),
    ),
)

GET_IDEMPOTENT = Concept(
    "get-idempotent",
    "GET may be repeated: it is idempotent",
    "get",
    (
        Question(
            "retry",
            "The connection drops before the answer to a GET arrives. May the browser "
            "send the GET again by itself?",
            (
                # RFC 9110 §9.2.2: idempotent requests may be repeated automatically
                # after a communication failure.
                Option(
                    "yes",
                    "Yes: sending it twice has the effect of sending it once",
                    "GET is idempotent (every safe method is), so a client may repeat it "
                    "when the connection fails.",
                    states="Yes",
                ),
                Option(
                    "no",
                    "No: only after asking the user",
                    "Asking first is for requests that are not idempotent, such as POST. "
                    "GET is idempotent, so repeating it is fine.",
                    states="No",
                ),
            ),
            fact=Fact(GET, "idempotent"),
            hint="properties",
        ),
        Question(
            "proxy",
            "A proxy forwards GET /news, and its connection to the server breaks before "
            "the answer. May the proxy send the GET again?",
            (
                # RFC 9110 §9.2.2; RFC 9112 §9.3.1: a proxy MUST NOT retry non-idempotent
                # requests automatically, and may retry idempotent ones.
                Option(
                    "no",
                    "No: only the browser may decide to send it again",
                    "Any client or proxy may repeat an idempotent request after a failure, "
                    "and GET is idempotent.",
                    states="No",
                ),
                Option(
                    "yes",
                    "Yes: repeating a GET has the effect of sending it once",
                    "GET is idempotent, so a proxy may retry it; it must not retry a POST.",
                    states="Yes",
                ),
            ),
            fact=Fact(GET, "idempotent"),
            hint="properties",
        ),
        Question(
            "twice",
            "You send GET /methods/get twice in a row. What do the two requests leave on the "
            "server?",
            (
                # RFC 9110 §9.2.2: the intended effect of several identical idempotent
                # requests is that of one.
                Option(
                    "twice",
                    "Whatever the first left, done twice over",
                    "GET is idempotent: several identical GETs mean what one means, and a "
                    "GET asks for no change at all.",
                    states="No",
                ),
                Option(
                    "once",
                    "The same as one GET: nothing was asked to change",
                    "GET is idempotent (it is even safe): two mean what one means.",
                    states="Yes",
                ),
            ),
            fact=Fact(GET, "idempotent"),
            hint="properties",
        ),
    ),
)

GET_DATA = Concept(
    "get-data",
    "Where a GET carries its data: the URL",
    "get",
    (
        Question(
            "search",
            'A search form with method="get" has one field, q. You type "http methods" '
            "and submit. Where does the server find your words?",
            (
                # HTML Standard, form submission: the GET method mutates the action
                # URL's query; URL Standard: form encoding writes a space as "+".
                Option(
                    "cookie",
                    "In a cookie the form sets",
                    "Forms put their fields in the URL (GET) or in the body (POST), never "
                    "in cookies.",
                ),
                Option(
                    "body",
                    "In the request body, as q=http+methods",
                    "That is where a POST form puts them; a GET form writes them into the "
                    "URL, and its request has no body.",
                ),
                Option(
                    "query",
                    "In the URL's query string: /search?q=http+methods",
                    "A GET form adds its fields to the URL, which is where a GET carries its data.",
                ),
            ),
            answer="query",
            hint="try-it",
        ),
        Question(
            "https",
            "Over HTTPS, who can read the query string of GET /search?q=rash?",
            (
                # RFC 9110 §4.2.2 and §17.9 (URIs end up in logs, history, bookmarks);
                # TLS encrypts the whole request, its target included.
                Option(
                    "keepers",
                    "The server, and whatever keeps URLs: history, bookmarks, server logs",
                    "HTTPS encrypts the whole request on the way, but the URL is kept in "
                    "many places at both ends.",
                ),
                Option(
                    "anyone",
                    "Anyone on the network: GET is not encrypted",
                    "HTTPS encrypts the request line too, query included; the method has "
                    "nothing to do with encryption.",
                ),
                Option(
                    "nobody",
                    "Nobody but the server: HTTPS hides the URL everywhere",
                    "HTTPS protects it on the network only; the browser's history and the "
                    "server's logs keep the full URL.",
                ),
            ),
            answer="keepers",
            hint="myths",
        ),
        Question(
            "fetch-body",
            "A script calls fetch() with method GET and a JSON body. What happens?",
            (
                # Fetch Standard, the Request constructor: a body with GET or HEAD throws
                # a TypeError; RFC 9110 §9.3.1: content in a GET has no defined meaning.
                Option(
                    "throws",
                    "fetch() refuses: a GET request may not have a body",
                    "The Fetch Standard throws for a body with GET or HEAD; the data "
                    "belongs in the URL.",
                ),
                Option(
                    "sent",
                    "The body is sent, and the server must read it",
                    "A body in a GET has no defined meaning, and fetch() does not even "
                    "send one: it throws first.",
                ),
                Option(
                    "moved",
                    "The browser moves the body into the query string",
                    "No browser rewrites a request that way; fetch() throws instead.",
                ),
            ),
            answer="throws",
            hint="body-in-get",
        ),
    ),
)


# --- HEAD -----------------------------------------------------------------------------------

HEAD_HEADERS = Concept(
    "head-headers",
    "HEAD brings GET's header fields, Content-Length included, and no content",
    "head",
    (
        Question(
            "length",
            "HEAD /methods/head answers with Content-Length: 9000 and no body. What is 9000?",
            (
                # RFC 9110 §9.3.2 (HEAD: the fields of a GET, without the content),
                # §8.6 (Content-Length in a HEAD response: what GET would send).
                Option(
                    "zero",
                    "A mistake: it should be 0, since there is no body",
                    "Content-Length in an answer to HEAD tells the size of GET's content, "
                    "not of the empty body HEAD gets.",
                ),
                Option(
                    "get",
                    "The length of the body a GET would bring",
                    "A HEAD answer carries the fields a GET answer would, Content-Length "
                    "included, and leaves out only the content.",
                ),
                Option(
                    "headers",
                    "The size of the header section",
                    "Content-Length only ever counts the content's bytes, never the header fields.",
                ),
            ),
            answer="get",
            hint="meaning",
        ),
        Question(
            "bytes",
            "An answer to HEAD says Content-Length: 5120. How many bytes of content follow "
            "its header fields?",
            (
                # RFC 9112 §6.3: a response to HEAD ends at the end of its header section,
                # whatever its Content-Length; RFC 9110 §9.3.2.
                Option(
                    "5120",
                    "5120, as Content-Length says",
                    "Content-Length gives the size a GET would bring; the answer to HEAD "
                    "itself ends with its header fields.",
                ),
                Option(
                    "none",
                    "None: the answer ends with its header fields",
                    "An answer to HEAD never has content, whatever Content-Length says.",
                ),
                Option(
                    "compressed",
                    "Fewer than 5120: the content comes compressed",
                    "No content comes at all; Content-Length describes what a GET would receive.",
                ),
            ),
            answer="none",
            hint="meaning",
        ),
        Question(
            "omit",
            "Which header fields may a server leave out of its answer to HEAD, compared "
            "with its answer to GET?",
            (
                # RFC 9110 §9.3.2: the server SHOULD send the fields GET would, and MAY
                # omit those whose value it learns only while generating the content.
                Option(
                    "late",
                    "Those whose value it only learns while generating the content",
                    "The server should send GET's fields, but it may skip the ones it could "
                    "only know by producing the content it will not send.",
                ),
                Option(
                    "type",
                    "Content-Type and Content-Length: there is no content",
                    "Those describe what a GET would bring, and the server should send "
                    "them, as this site does.",
                ),
                Option(
                    "none",
                    "None: it must send exactly the same fields",
                    "The rule is a should with one allowance: fields only known while "
                    "generating the content may be left out.",
                ),
            ),
            answer="late",
            hint="meaning",
        ),
    ),
)

HEAD_USE = Concept(
    "head-use",
    "When to send HEAD: learn about a resource without downloading it",
    "head",
    (
        Question(
            "video",
            "You want to know whether a 2 GB video changed since yesterday, without "
            "downloading it. Which request fits?",
            (
                # RFC 9110 §9.3.2 (HEAD), §8.8 (ETag, Last-Modified), §9.3.7 (OPTIONS).
                Option(
                    "options",
                    "OPTIONS, which describes the resource",
                    "OPTIONS asks which methods and features a URL supports, not whether "
                    "its content changed.",
                ),
                Option(
                    "get",
                    "GET, and compare the file with yesterday's copy",
                    "That works, but downloads the 2 GB you wanted to avoid.",
                ),
                Option(
                    "head",
                    "HEAD, then compare its ETag or Last-Modified with yesterday's",
                    "HEAD brings the headers a GET would, validators included, without the "
                    "2 GB of content.",
                ),
            ),
            answer="head",
            hint="meaning",
        ),
        Question(
            "size",
            "A download manager wants a file's size before it starts the download. What "
            "does it send first?",
            (
                # RFC 9110 §9.3.2 (HEAD), §8.6 (Content-Length), §9.3.3 (POST).
                Option(
                    "head",
                    "HEAD, and it reads Content-Length",
                    "HEAD brings the fields a GET would, Content-Length included, without "
                    "the file.",
                ),
                Option(
                    "options",
                    "OPTIONS, which lists the file's size",
                    "OPTIONS lists the methods a URL supports (Allow), not the size of its "
                    "content.",
                ),
                Option(
                    "post",
                    "POST with an empty body",
                    "POST asks the resource to process data by its own rules: not a way to "
                    "ask about a file.",
                ),
            ),
            answer="head",
            hint="meaning",
        ),
        Question(
            "links",
            "A link checker wants to know whether each URL still works, without downloading "
            "the pages. Which request fits?",
            (
                # RFC 9110 §9.3.2 (HEAD: GET's status and fields), §9.3.7 (OPTIONS),
                # §9.3.8 (TRACE: a loop-back of the request).
                Option(
                    "trace",
                    "TRACE, which shows the path to the page",
                    "TRACE echoes the request back for diagnosis; it says nothing about the page.",
                ),
                Option(
                    "head",
                    "HEAD: the status and header fields a GET would get",
                    "A 200 or a 404 to HEAD tells what a GET would find, with no page to download.",
                ),
                Option(
                    "options",
                    "OPTIONS: it says whether the page exists",
                    "OPTIONS says which methods a URL supports, not what a GET would find.",
                ),
            ),
            answer="head",
            hint="meaning",
        ),
    ),
)

HEAD_SAFE = Concept(
    "head-safe",
    "HEAD asks for no change: it is safe",
    "head",
    (
        Question(
            "checker",
            "A link checker sends HEAD to every URL of your site each night. Does it ask "
            "your site to change anything?",
            (
                # RFC 9110 §9.2.1: safe is a property of the request: the client does not
                # request a state change, and is not accountable for side effects the
                # server has anyway. Flask runs the GET view for a HEAD.
                Option(
                    "yes",
                    "Yes: it runs the same code as GET",
                    "Running the same code is not asking for a change. HEAD is safe: the "
                    "checker asks for nothing to change, and the site must not treat it as "
                    "a request to change anything.",
                    states="No",
                ),
                Option(
                    "no",
                    "No: HEAD is safe, so the checker asks for no change",
                    "Safe describes the request, not what the server does with it. Flask "
                    "runs the GET view for a HEAD, so a view that changed something on GET "
                    "would change it for the checker too: keeping HEAD harmless is the "
                    "site's job.",
                    states="Yes",
                ),
            ),
            fact=Fact(HEAD, "safe"),
            hint="properties",
        ),
        Question(
            "counter",
            "Your site counts a page view for every GET and HEAD, and a nightly checker's "
            "HEADs inflate the counts. Is HEAD still a safe method?",
            (
                # RFC 9110 §9.2.1: safe means the client does not request a change; side
                # effects the server chose do not make the method unsafe.
                Option(
                    "yes",
                    "Yes: the client asked for no change; the count is the site's choice",
                    "Safe is about what the request asks for. The checker asked for none, "
                    "so it is not responsible for the count.",
                    states="Yes",
                ),
                Option(
                    "no",
                    "No: a request that changes a counter is unsafe",
                    "Safety is not a guarantee about what a server does, but about what the "
                    "client asks for, and HEAD asks for no change.",
                    states="No",
                ),
            ),
            fact=Fact(HEAD, "safe"),
            hint="properties",
        ),
        Question(
            "admin",
            "A crawler sends HEAD /admin/wipe, and your site wipes its data. Who is at fault?",
            (
                # RFC 9110 §9.2.1: a client may send a safe request without the user
                # asking; a resource that acts on it breaks the method's meaning.
                Option(
                    "crawler",
                    "The crawler: it should not send requests to such URLs",
                    "A crawler may send HEAD anywhere: it is safe, so it asks for no "
                    "change. The site acted on a request that asked for none.",
                    states="No",
                ),
                Option(
                    "site",
                    "The site: HEAD asks for no change, so it must not wipe anything",
                    "HEAD is safe; an action like wiping belongs behind an unsafe method, "
                    "such as POST or DELETE.",
                    states="Yes",
                ),
            ),
            fact=Fact(HEAD, "safe"),
            hint="properties",
        ),
    ),
)


# --- POST -----------------------------------------------------------------------------------

POST_IDEMPOTENT = Concept(
    "post-idempotent",
    "POST is not idempotent: sending it twice may do it twice",
    "post",
    (
        Question(
            "resend",
            "You post a comment and the connection drops before the answer arrives. "
            "Should the browser send the POST again by itself?",
            (
                # RFC 9110 §9.2.2: a client SHOULD NOT automatically retry a request
                # whose method is not idempotent, unless it knows the request is
                # idempotent anyway or that the first was never applied.
                Option(
                    "yes",
                    "Yes: the same request always has the same effect",
                    "That holds for idempotent methods such as PUT; POST is not one.",
                    states="Yes",
                ),
                Option(
                    "no",
                    "No: the first one may have arrived, and a second would post twice",
                    "POST is not idempotent: two identical POSTs may do the thing twice. "
                    "So a client should not repeat one by itself, unless it can tell "
                    "that the first never reached the server.",
                    states="No",
                ),
            ),
            fact=Fact(POST, "idempotent"),
            hint="meaning",
        ),
        Question(
            "twice",
            "You send POST /api/notes with the same body twice. What do you have?",
            (
                # RFC 9110 §9.3.3 (the resource decides), §15.3.2 (201 Created).
                Option(
                    "one",
                    "One note: the second POST finds it exists",
                    "That is PUT to a URL you name. A POST to the collection does not look "
                    "for an equal note.",
                ),
                Option(
                    "conflict",
                    "One note, and 409 Conflict for the second",
                    "Nothing conflicts: the collection simply holds one more note.",
                ),
                Option(
                    "two",
                    "Two new notes, each with an id the server chose",
                    "Each POST asks the collection to process the data again: here, to "
                    "add another note. Both answers are 201 Created.",
                ),
            ),
            answer="two",
            hint="sandbox",
        ),
        Question(
            "reload",
            "You reload a page that was the answer to a POST, and the browser asks "
            '"Confirm form resubmission". Why does it ask?',
            (
                # RFC 9110 §9.2.2 (not idempotent), §9.3.3; browsers ask before repeating.
                Option(
                    "twice",
                    "Sending the POST again may do its work twice: POST is not idempotent",
                    "A second identical POST may place a second order or post a second "
                    "comment, so the browser asks you first.",
                    states="No",
                ),
                Option(
                    "always",
                    "Browsers ask before any reload, whatever the method",
                    "They do not ask before reloading a GET, which is idempotent; they ask "
                    "for POST, which is not.",
                ),
            ),
            fact=Fact(POST, "idempotent"),
            hint="meaning",
        ),
    ),
)

POST_CACHEABLE = Concept(
    "post-cacheable",
    "A POST answer is reusable only with freshness and a matching Content-Location",
    "post",
    (
        Question(
            "content-location",
            "A response to POST /search came with Cache-Control: max-age=60 and "
            "Content-Location: /search?q=flask. May a cache store it for reuse?",
            (
                # RFC 9110 §9.3.3: a POST response is cacheable only with explicit
                # freshness information and a Content-Location equal to the POST's
                # target URI; RFC 9111 §3 (storing responses).
                Option(
                    "yes",
                    "Yes: it is fresh for 60 seconds, for the next POST /search",
                    "A POST always reaches the server; and this answer cannot be stored "
                    "at all, since its Content-Location is not /search.",
                    states="Yes",
                ),
                Option(
                    "never",
                    "No: a response to POST can never be stored",
                    "It can, with explicit freshness and a Content-Location equal to the "
                    "POST's own URI; then it may answer a later GET of that URI.",
                    states="No",
                ),
                Option(
                    "only",
                    "No: its Content-Location is not /search, the URI the POST went to",
                    "A POST answer is reusable only with explicit freshness and a "
                    "Content-Location equal to the POST's target, and this one names "
                    "another URI.",
                    states="Only",
                ),
            ),
            fact=Fact(POST, "cacheable"),
            hint="properties",
        ),
        Question(
            "later-get",
            "A response to POST /orders/42/refresh carries Cache-Control: max-age=30 and "
            "Content-Location: /orders/42/refresh. Which later request may a cache answer "
            "with it?",
            (
                # RFC 9110 §9.3.3: a cached POST response can satisfy a later GET or HEAD
                # of its URI, never a POST, which is potentially unsafe.
                Option(
                    "get",
                    "A GET or HEAD of /orders/42/refresh, within 30 seconds",
                    "With freshness and a Content-Location equal to its target, a POST "
                    "answer may stand in for a later GET or HEAD of that URI.",
                    states="Only",
                ),
                Option(
                    "post",
                    "Another POST /orders/42/refresh, within 30 seconds",
                    "A POST is potentially unsafe, so it always goes to the server; a "
                    "stored answer may only serve a GET or HEAD.",
                    states="Yes",
                ),
                Option(
                    "none",
                    "None: answers to POST are never reused",
                    "This one may be: it has explicit freshness and a Content-Location "
                    "equal to its target.",
                    states="No",
                ),
            ),
            fact=Fact(POST, "cacheable"),
            hint="properties",
        ),
        Question(
            "no-freshness",
            "A response to POST /poll has Content-Location: /poll, but no Cache-Control, "
            "Expires or other freshness information. May a cache store it for later GETs "
            "of /poll?",
            (
                # RFC 9110 §9.3.3: only with explicit freshness information; RFC 9111
                # §4.2.2 (heuristic freshness) applies only to heuristically cacheable
                # responses.
                Option(
                    "heuristic",
                    "Yes: a cache may guess how long it stays fresh, as for a GET",
                    "Guessed freshness is not enough for a POST answer: it needs explicit "
                    "freshness information.",
                    states="Yes",
                ),
                Option(
                    "only",
                    "No: a POST answer needs explicit freshness information to be stored",
                    "A matching Content-Location is one condition; explicit freshness, "
                    "such as max-age, is the other, and it is missing.",
                    states="Only",
                ),
                Option(
                    "never",
                    "No: POST answers are never cacheable",
                    "They can be, with explicit freshness and a matching Content-Location; "
                    "this one lacks the freshness.",
                    states="No",
                ),
            ),
            fact=Fact(POST, "cacheable"),
            hint="properties",
        ),
        Question(
            "cached-post",
            "A cache stored a response to POST /cart, which came with "
            "Cache-Control: max-age=60 and Content-Location: /cart, the POST's own URL. "
            "Ten seconds later the same POST /cart arrives. May the cache answer it with "
            "the stored response?",
            (
                # RFC 9110 §9.3.3: a POST response is cacheable only with explicit
                # freshness and a Content-Location equal to the POST's target URI;
                # then it may answer a later GET or HEAD of that URI, never a POST.
                # RFC 9111 §4 (the stored response's method must allow the reuse).
                Option(
                    "never",
                    "No: a response to POST can never be stored",
                    "It can, with explicit freshness information such as max-age and a "
                    "Content-Location equal to the POST's URL, and then serve a later GET "
                    "or HEAD of that URL.",
                    states="No",
                ),
                Option(
                    "only",
                    "No: it may answer only a later GET or HEAD of /cart",
                    "Content-Location names the POST's own URL, so the response is the "
                    "new state of /cart: it can stand in for a GET of /cart, never for "
                    "another POST, which goes to the server.",
                    states="Only",
                ),
                Option(
                    "yes",
                    "Yes: it is fresh for 60 seconds",
                    "Freshness lets it answer GET and HEAD; a POST always reaches the "
                    "server, which decides what it does.",
                    states="Yes",
                ),
            ),
            fact=Fact(POST, "cacheable"),
            hint="properties",
        ),
    ),
)

POST_REDIRECT = Concept(
    "post-redirect",
    "After a POST, 303 See Other sends the browser to GET the result",
    "post",
    (
        Question(
            "redirect",
            "After a successful login by POST, the server sends the browser to the "
            "welcome page. Which answer should it give?",
            (
                # RFC 9110 §15.4.4 (303: retrieve the other URI with GET),
                # §15.4.8 (307: the method must not change), §15.5.6 (405).
                Option(
                    "307",
                    "307 Temporary Redirect",
                    "307 keeps the method: the browser would send the POST again, body and "
                    "all, to /success/<name>, which allows only GET, HEAD and OPTIONS, and "
                    "get 405.",
                ),
                Option(
                    "200",
                    "200 OK, with the welcome page itself",
                    "Then the page is the answer to a POST, and reloading it sends the "
                    "form again (browsers ask first).",
                ),
                Option(
                    "303",
                    "303 See Other",
                    "303 tells the browser to fetch the welcome page with GET, so "
                    "reloading it repeats only that GET: Post/Redirect/Get.",
                ),
            ),
            answer="303",
            hint="meaning",
        ),
        Question(
            "next",
            "A server answers a form's POST with 303 See Other and Location: /orders/7. "
            "What does the browser send next?",
            (
                # RFC 9110 §15.4.4: the client retrieves the Location with GET;
                # Fetch Standard, HTTP-redirect fetch: the body is dropped.
                Option(
                    "get",
                    "GET /orders/7, without the form's body",
                    "303 means: the answer is over there, fetch it with GET.",
                ),
                Option(
                    "post",
                    "POST /orders/7, with the form's body again",
                    "That is what 307 or 308 would do; 303 switches to GET.",
                ),
                Option(
                    "nothing",
                    "Nothing: the browser shows the 303 answer",
                    "Browsers follow a redirect's Location by themselves.",
                ),
            ),
            answer="get",
            hint="get-vs-post#redirects",
        ),
        Question(
            "keep",
            "Which redirect makes the browser send the same POST, body and all, to the new URL?",
            (
                # RFC 9110 §15.4.8 (307: the method must not change), §15.4.4 (303: GET),
                # §15.4.3 (302: clients may change POST to GET, and browsers do).
                Option(
                    "302",
                    "302 Found",
                    "After 302, browsers switch a POST to GET, as RFC 9110 allows for "
                    "historical reasons.",
                ),
                Option(
                    "307",
                    "307 Temporary Redirect",
                    "307 (and 308) forbid changing the method: the POST goes again, body included.",
                ),
                Option(
                    "303",
                    "303 See Other",
                    "303 tells the browser to fetch the Location with GET, without the body.",
                ),
            ),
            answer="307",
            hint="get-vs-post#redirects",
        ),
    ),
)


# --- PUT ------------------------------------------------------------------------------------

PUT_FORMS = Concept(
    "put-forms",
    "HTML forms cannot send PUT: fetch() can",
    "put",
    (
        Question(
            "form",
            'A page has <form method="put" action="/api/notes/shopping">. What does the '
            "browser send when the form is submitted?",
            (
                # HTML Standard, the form element's method attribute: keywords get,
                # post and dialog; an invalid value falls back to the GET state.
                Option(
                    "put",
                    "PUT, with the fields in the body",
                    "A form cannot send PUT. fetch() can, and this site's forms send a "
                    "POST with a _method field instead.",
                    states="Yes",
                ),
                Option(
                    "post",
                    "POST, because a form with fields needs a body",
                    "An unknown method falls back to the default, which is get, not post; "
                    "the fields then go in the URL.",
                ),
                Option(
                    "get",
                    "GET, with the fields in the query string",
                    'Forms know only get, post and dialog; an unknown value such as "put" '
                    "counts as the default, get.",
                    states="No",
                ),
            ),
            fact=Fact(PUT, "html_forms"),
            hint="sandbox",
        ),
        Question(
            "no-js",
            "How can a page that runs no JavaScript make this site store a note with PUT "
            "semantics?",
            (
                # HTML Standard (form methods: get, post, dialog); this site's method
                # override (a POST with _method, web/methods_guard.py).
                Option(
                    "override",
                    "Only through a POST form whose _method field says PUT",
                    "A form cannot send PUT; this site reads a POST with _method=PUT as a "
                    "PUT, as the sandbox's forms do.",
                    states="No",
                ),
                Option(
                    "form",
                    'With <form method="put">',
                    'A form\'s method is get, post or dialog: "put" falls back to get.',
                    states="Yes",
                ),
                Option(
                    "link",
                    "With a link carrying a method attribute",
                    "A link always sends GET; HTML gives it no way to send another method.",
                ),
            ),
            fact=Fact(PUT, "html_forms"),
            hint="override",
        ),
        Question(
            "formmethod",
            'A form has <button formmethod="put">. When that button submits the form, '
            "what is sent?",
            (
                # HTML Standard: formmethod takes the same keywords as method (get, post,
                # dialog), with the same GET fallback.
                Option(
                    "get",
                    "GET: formmethod knows only get, post and dialog, like method",
                    "An invalid value falls back to get, so the fields go in the URL; "
                    "PUT needs fetch().",
                    states="No",
                ),
                Option(
                    "put",
                    "PUT: a button may choose any method",
                    "formmethod takes the same keywords as method: get, post and dialog.",
                    states="Yes",
                ),
                Option(
                    "error",
                    "Nothing: the browser refuses to submit",
                    "The browser submits anyway, with the default method, get.",
                ),
            ),
            fact=Fact(PUT, "html_forms"),
            hint="sandbox",
        ),
    ),
)

PUT_STATUSES = Concept(
    "put-statuses",
    "PUT answers 201 Created when it creates, 200 or 204 when it replaces",
    "put",
    (
        Question(
            "statuses",
            "No note called shopping exists. You send PUT /api/notes/shopping with "
            '{"text": "Milk"} twice. What are the two answers?',
            (
                # RFC 9110 §9.3.4: 201 when PUT creates, 200 or 204 when it replaces.
                Option(
                    "201-201",
                    "201 Created twice; two notes",
                    "PUT names the URL: there is only one /api/notes/shopping, so there can "
                    "be only one note.",
                ),
                Option(
                    "201-200",
                    "201 Created, then 200 OK; one note",
                    "The first PUT creates the note, the second replaces it with the same "
                    "state: one note, as the first left it.",
                ),
                Option(
                    "201-409",
                    "201 Created, then 409 Conflict",
                    "PUT means: make this URL hold this state. That is no conflict; the "
                    "server replaces the note.",
                ),
            ),
            answer="201-200",
            hint="sandbox",
        ),
        Question(
            "create",
            'No note called list exists. You send PUT /api/notes/list with {"text": "Eggs"}. '
            "What does this API answer?",
            (
                # RFC 9110 §9.3.4: a PUT that creates MUST be answered 201 (Created);
                # §15.3.2 (201, Location).
                Option(
                    "404",
                    "404 Not Found: there is nothing to replace",
                    "PUT creates the resource when it is missing: it means 'make this URL "
                    "hold this'.",
                ),
                Option(
                    "200",
                    "200 OK: PUT always answers 200",
                    "A PUT that creates must say so with 201; 200 is for a replacement.",
                ),
                Option(
                    "201",
                    "201 Created, with Location: /api/notes/list",
                    "The note did not exist, so the PUT created it, and the server must "
                    "answer 201.",
                ),
            ),
            answer="201",
            hint="sandbox",
        ),
        Question(
            "replace",
            "The note shopping exists, and a PUT /api/notes/shopping replaces it. Which "
            "answers does RFC 9110 allow?",
            (
                # RFC 9110 §9.3.4: a successful replacement MUST be answered 200 (OK) or
                # 204 (No Content).
                Option(
                    "200-204",
                    "200 OK or 204 No Content",
                    "A replacement is answered 200, with content, or 204, without; this "
                    "API sends 200 with the note.",
                ),
                Option(
                    "201",
                    "201 Created",
                    "201 is for a PUT that creates a resource that did not exist.",
                ),
                Option(
                    "409",
                    "409 Conflict: the note already exists",
                    "Replacing what is there is what PUT is for; that is no conflict.",
                ),
            ),
            answer="200-204",
            hint="sandbox",
        ),
        Question(
            "no-content",
            "Another API answers your PUT with 204 No Content. What does that tell you?",
            (
                # RFC 9110 §15.3.5: 204: the request succeeded, and there is no content
                # to send in the response.
                Option(
                    "nothing",
                    "Nothing was stored: there was no content to keep",
                    "204 is a success: the PUT was applied, and the answer simply has no content.",
                ),
                Option(
                    "done",
                    "It worked, and the answer has no content to send",
                    "204 is a 2xx success with an empty answer, a usual reply to a PUT "
                    "that replaced something.",
                ),
                Option(
                    "empty",
                    "The resource is now empty",
                    "204 describes the answer, not the resource: it holds what you sent.",
                ),
            ),
            answer="done",
            hint="sandbox",
        ),
    ),
)

PUT_IDEMPOTENT = Concept(
    "put-idempotent",
    "PUT is idempotent: the same PUT again leaves the same state",
    "put",
    (
        Question(
            "timeout",
            "A phone app's PUT times out: it cannot tell whether the request arrived. May "
            "it simply send the same PUT again?",
            (
                # RFC 9110 §9.2.2: PUT is idempotent, so it may be repeated.
                Option(
                    "no",
                    "No: it might create the note twice",
                    "PUT targets one URL, so it cannot create two notes; it is idempotent.",
                    states="No",
                ),
                Option(
                    "yes",
                    "Yes: a second identical PUT leaves the same state as one",
                    "PUT is idempotent: whether the first arrived or not, the note ends up "
                    "holding what was sent.",
                    states="Yes",
                ),
            ),
            fact=Fact(PUT, "idempotent"),
            hint="properties",
        ),
        Question(
            "five",
            'You send PUT /api/notes/todo with {"text": "Milk"} five times. What is left?',
            (
                # RFC 9110 §9.2.2: the intended effect of several identical requests is
                # that of one.
                Option(
                    "one",
                    'One note todo saying "Milk", as after the first PUT',
                    "PUT is idempotent: each one sets the same state, so five leave what "
                    "one leaves.",
                    states="Yes",
                ),
                Option(
                    "five",
                    "Five notes, or one note changed five times",
                    "One URL names one note, and setting it to what it holds changes "
                    "nothing: PUT is idempotent.",
                    states="No",
                ),
            ),
            fact=Fact(PUT, "idempotent"),
            hint="sandbox",
        ),
        Question(
            "proxy",
            "A proxy's connection breaks while it forwards a PUT. May it retry the PUT by itself?",
            (
                # RFC 9110 §9.2.2; RFC 9112 §9.3.1: idempotent requests may be retried
                # automatically, others must not be.
                Option(
                    "no",
                    "No: only a GET may be retried",
                    "Any idempotent request may be retried, and PUT is idempotent: a "
                    "second leaves the state one leaves.",
                    states="No",
                ),
                Option(
                    "yes",
                    "Yes: PUT is idempotent, so repeating it does no harm",
                    "Sending the same PUT again sets the same state again, so a retry is "
                    "allowed, unlike a POST's.",
                    states="Yes",
                ),
            ),
            fact=Fact(PUT, "idempotent"),
            hint="properties",
        ),
    ),
)


# --- DELETE ---------------------------------------------------------------------------------

DELETE_IDEMPOTENT = Concept(
    "delete-idempotent",
    "DELETE is idempotent, though a second answer may be 404",
    "delete",
    (
        Question(
            "second",
            "DELETE /api/notes/old answers 204 No Content. You send the same DELETE again. "
            "What does this API answer, and is DELETE still idempotent?",
            (
                # RFC 9110 §9.2.2: idempotency is about the intended effect on the
                # server, not the response; §15.5.5 (404).
                Option(
                    "404-no",
                    "404 Not Found, so no: the two answers differ",
                    "The answers may differ. Idempotent means the state on the server "
                    "is the same, and it is.",
                    states="No",
                ),
                Option(
                    "204",
                    "204 again: an idempotent method must answer the same each time",
                    "Nothing requires the same answer; this API says 404, because there is "
                    "no note left to delete.",
                ),
                Option(
                    "404-yes",
                    "404 Not Found, and yes: the notes are the same after both",
                    "Idempotent is about the effect on the server, not the answer. The "
                    "note is gone after one DELETE and after two.",
                    states="Yes",
                ),
            ),
            fact=Fact(DELETE, "idempotent"),
            hint="sandbox",
        ),
        Question(
            "tabs",
            "Two tabs send DELETE /api/notes/old: the first gets 204, the second 404. Did "
            "the second one break DELETE's idempotency?",
            (
                # RFC 9110 §9.2.2: idempotency concerns the state, not the status code.
                Option(
                    "yes",
                    "Yes: an idempotent method must answer the same each time",
                    "Idempotency is about the effect on the server; the answers may "
                    "differ, and here they do.",
                    states="No",
                ),
                Option(
                    "no",
                    "No: the notes are the same after one DELETE or two",
                    "DELETE is idempotent: the state after two is the state after one, "
                    "whatever each answer says.",
                    states="Yes",
                ),
            ),
            fact=Fact(DELETE, "idempotent"),
            hint="sandbox",
        ),
        Question(
            "timeout",
            "A phone app's DELETE times out before the answer. May it send the same DELETE "
            "again without asking the user?",
            (
                # RFC 9110 §9.2.2: idempotent requests may be repeated automatically.
                Option(
                    "yes",
                    "Yes: a second DELETE leaves the same state as one",
                    "DELETE is idempotent: the resource is gone after one or two, so a "
                    "retry is harmless.",
                    states="Yes",
                ),
                Option(
                    "no",
                    "No: it might delete twice",
                    "There is nothing to delete twice: once the resource is gone, a repeat "
                    "changes nothing. DELETE is idempotent.",
                    states="No",
                ),
            ),
            fact=Fact(DELETE, "idempotent"),
            hint="properties",
        ),
    ),
)

DELETE_SAFE = Concept(
    "delete-safe",
    "DELETE is not safe: deleting belongs behind a form or fetch(), never a link",
    "delete",
    (
        Question(
            "link",
            "Why should a Delete control never be a plain link (<a href>)?",
            (
                # RFC 9110 §9.2.1 (safe; robots follow links), §9.2.2 (idempotent
                # is not safe).
                Option(
                    "fine",
                    "It may be a link: DELETE is idempotent, so it is safe",
                    "Idempotent is not safe: deleting once already changes the server, and "
                    "DELETE is not a safe method.",
                    states="Yes",
                ),
                Option(
                    "unsafe",
                    "A link sends GET, and deleting is not safe",
                    "Crawlers and prefetchers follow links freely, because GET is safe. "
                    "Deleting changes state: it needs DELETE, or a POST form.",
                    states="No",
                ),
            ),
            fact=Fact(DELETE, "safe"),
            hint="meaning",
        ),
        Question(
            "prefetch",
            'A page lists notes, each with a Delete link, <a href="/notes/7/delete">. A '
            "browser extension prefetches every link on the page. What happens?",
            (
                # RFC 9110 §9.2.1: user agents may send safe requests (GET) on their own,
                # and a safe method asks for no change; deleting is not safe.
                Option(
                    "nothing-click",
                    "Nothing: the server can tell a prefetch from a click",
                    "Both are the same GET; nothing in the request says a person clicked.",
                ),
                Option(
                    "deleted",
                    "The notes are deleted: a link sends GET, which may be sent unasked",
                    "GET is safe, so it may be sent without anyone asking. Deleting "
                    "belongs behind DELETE or a POST form.",
                ),
                Option(
                    "nothing-get",
                    "Nothing: a GET cannot change anything on a server",
                    "Safe means the client asks for no change, not that a server cannot "
                    "make one: this server deletes on GET.",
                ),
            ),
            answer="deleted",
            hint="meaning",
        ),
        Question(
            "which-safe",
            "Which of the methods these lessons teach may a crawler send freely, because "
            "they ask for no change?",
            (
                # RFC 9110 §9.2.1: GET, HEAD, OPTIONS (and TRACE) are safe; §9.2.2:
                # idempotent (DELETE, PUT) is a different property. Built from methods.py.
                Option(
                    "safe",
                    safe_methods_text(),
                    "These are the safe methods: they ask for no change, so anyone may send them.",
                ),
                Option(
                    "idempotent",
                    f"{safe_methods_text().replace(' and ', ', ')}, PUT and DELETE",
                    "PUT and DELETE are idempotent, not safe: each changes the server the "
                    "first time.",
                ),
                Option(
                    "get",
                    "GET only",
                    "HEAD and OPTIONS are safe too: they ask for no change.",
                ),
            ),
            answer="safe",
            hint="properties",
        ),
    ),
)

DELETE_CACHE = Concept(
    "delete-cache",
    "A successful DELETE makes caches drop the URL; its answer is not cacheable",
    "delete",
    (
        Question(
            "cache",
            "A cache stored an answer to GET /api/notes/old. Then a DELETE of "
            "/api/notes/old passes through it and succeeds. What does the cache do?",
            (
                # RFC 9110 §9.3.5 (DELETE responses are not cacheable), RFC 9111 §4.4
                # (an unsafe request that succeeds invalidates stored responses).
                Option(
                    "store",
                    "It stores the DELETE's answer, to serve the next GET",
                    "Answers to DELETE are not cacheable, and the next GET must reach the server.",
                    states="Yes",
                ),
                Option(
                    "drop",
                    "It drops what it stored for that URL, and stores nothing new",
                    "A successful unsafe request makes caches drop their copies of its "
                    "URL, and DELETE's own answer is not cacheable.",
                    states="No",
                ),
            ),
            fact=Fact(DELETE, "cacheable"),
            hint="meaning",
        ),
        Question(
            "next-get",
            "A cache holds a fresh answer to GET /api/notes/old. A DELETE of that URL "
            "passes through it and succeeds. Where does the next GET /api/notes/old go?",
            (
                # RFC 9111 §4.4: a cache invalidates the target URI after a non-error
                # response to an unsafe method.
                Option(
                    "stored",
                    "Nowhere: the cache answers it with its stored copy until it expires",
                    "The successful DELETE made the cache drop that copy: it would show a "
                    "note that is gone.",
                ),
                Option(
                    "server",
                    "To the server: the cache dropped its copy when the DELETE succeeded",
                    "An unsafe request that succeeds invalidates what caches stored for its URL.",
                ),
                Option(
                    "delete-answer",
                    "Nowhere: the cache answers it with the DELETE's 204",
                    "An answer to DELETE is not cacheable, and it never answers a GET.",
                ),
            ),
            answer="server",
            hint="meaning",
        ),
        Question(
            "store-answer",
            "May a cache store the 200 OK answer to a DELETE, to reuse it later?",
            (
                # RFC 9110 §9.3.5: responses to DELETE are not cacheable; §9.3.3 (the
                # POST rule, which needs freshness and a matching Content-Location).
                Option(
                    "only",
                    "Only with explicit freshness and a matching Content-Location",
                    "That is the rule for POST. Answers to DELETE are not cacheable at all.",
                    states="Only",
                ),
                Option(
                    "no",
                    "No: answers to DELETE are not cacheable",
                    "RFC 9110 says so plainly; a successful DELETE makes caches drop the "
                    "URL instead.",
                    states="No",
                ),
                Option(
                    "yes",
                    "Yes, like any 200 answer",
                    "Whether an answer is cacheable depends on its method too, and DELETE's "
                    "are not.",
                    states="Yes",
                ),
            ),
            fact=Fact(DELETE, "cacheable"),
            hint="properties",
        ),
    ),
)


# --- PATCH ----------------------------------------------------------------------------------

PATCH_IDEMPOTENT = Concept(
    "patch-idempotent",
    "PATCH is not idempotent, though a given patch document may be",
    "patch",
    (
        Question(
            "json-patch",
            'Is this JSON Patch idempotent? [{"op": "add", "path": "/tags/-", "value": "urgent"}]',
            (
                # RFC 6902 §4.1: "-" is the end of the array, and "add" inserts there;
                # RFC 5789 §2: PATCH is not idempotent, though a patch document may be.
                Option(
                    "yes",
                    "Yes: it names the same value each time",
                    "Naming the same value is not enough: add to the end of an array "
                    "appends again each time it is applied.",
                ),
                Option(
                    "always",
                    "Yes: every PATCH is idempotent",
                    "PATCH is not idempotent in general; only some patch documents are, "
                    "such as any JSON Merge Patch.",
                ),
                Option(
                    "no",
                    'No: each time, it appends one more "urgent"',
                    'A path ending in "-" means the end of the array, so every add puts '
                    "another item there.",
                ),
            ),
            answer="no",
            hint="sandbox",
        ),
        Question(
            "merge-twice",
            'You send the JSON Merge Patch {"text": "Final"} twice to the same note. What '
            "does the second one do?",
            (
                # RFC 7396 §2: a merge patch states each member's final value, so
                # applying it twice equals once.
                Option(
                    "again",
                    "It changes the note again and raises its version",
                    "There is nothing left to change: the text is already Final, and this "
                    "API keeps the version when nothing changes.",
                ),
                Option(
                    "nothing",
                    "Nothing more: the note already says Final, so its version stays",
                    "A merge patch gives the final value of each field it names; once "
                    "applied, applying it again changes nothing.",
                ),
                Option(
                    "conflict",
                    "It fails with 409 Conflict",
                    "Setting a field to the value it has is no conflict; the answer is 200 OK.",
                ),
            ),
            answer="nothing",
            hint="sandbox",
        ),
        Question(
            "method",
            "Is PATCH, as a method, idempotent?",
            (
                # RFC 5789 §2: PATCH is neither safe nor idempotent; a given patch
                # document may be (RFC 7396: every merge patch is).
                Option(
                    "no",
                    "No, though a given patch document may be, such as a merge patch",
                    "The method promises nothing: applying some patches twice changes more "
                    "than once. Some documents, like any merge patch, are idempotent.",
                    states="No",
                ),
                Option(
                    "yes",
                    "Yes, like PUT",
                    "PUT sends a whole state, which is idempotent; a patch may append or "
                    "increment, so PATCH is not.",
                    states="Yes",
                ),
            ),
            fact=Fact(PATCH, "idempotent"),
            hint="properties",
        ),
        Question(
            "replace",
            'Is this JSON Patch idempotent? [{"op": "replace", "path": "/text", "value": "Final"}]',
            (
                # RFC 6902 §4.3: "replace" sets the value at the path, so applying it
                # twice leaves what applying it once leaves.
                Option(
                    "no",
                    "No: no JSON Patch is idempotent",
                    "Some are: this one sets a field to a final value, so a second "
                    "application changes nothing.",
                ),
                Option(
                    "yes",
                    "Yes: it sets the text to Final, whatever it was",
                    "replace puts a final value at the path; applying it again finds the "
                    "value already there.",
                ),
                Option(
                    "fails",
                    "No: the second one fails, because the text is already Final",
                    "replace needs the path to exist, and it does; it does not compare values.",
                ),
            ),
            answer="yes",
            hint="sandbox",
        ),
    ),
)

PATCH_FORMAT = Concept(
    "patch-format",
    "A patch's Content-Type names its format; Accept-Patch lists those a server takes",
    "patch",
    (
        Question(
            "wrong-type",
            "You send a PATCH to /api/notes/todo with Content-Type: text/plain. What does "
            "this API answer?",
            (
                # RFC 5789 §2.2: an unsupported patch format gets 415 Unsupported Media
                # Type, which SHOULD carry Accept-Patch (§3.1).
                Option(
                    "415",
                    "415 Unsupported Media Type, with Accept-Patch listing the formats it takes",
                    "The server cannot know how to apply a patch in a format it does not "
                    "take, and says which it does.",
                ),
                Option(
                    "400",
                    "400 Bad Request",
                    "The request is well-formed; it is the patch format that the server "
                    "does not take, which has its own code.",
                ),
                Option(
                    "405",
                    "405 Method Not Allowed",
                    "PATCH is allowed on this URL; only the format of its body is refused.",
                ),
            ),
            answer="415",
            hint="errors",
        ),
        Question(
            "accept-patch",
            "How does a server tell clients which patch formats a URL takes?",
            (
                # RFC 5789 §3.1: Accept-Patch, in any response (OPTIONS included).
                Option(
                    "allow",
                    "In the Allow header",
                    "Allow lists methods, not body formats.",
                ),
                Option(
                    "content-type",
                    "In the Content-Type of its answers",
                    "That describes the answer's own body, not what the server accepts.",
                ),
                Option(
                    "accept-patch",
                    "In an Accept-Patch header, for example in its answer to OPTIONS",
                    "Accept-Patch lists the patch formats a resource takes, and may come "
                    "with any answer.",
                ),
            ),
            answer="accept-patch",
            hint="errors",
        ),
        Question(
            "null",
            'What does the JSON Merge Patch {"tags": null} do to a note?',
            (
                # RFC 7396 §2: a null value in a merge patch removes the member.
                Option(
                    "set-null",
                    "It sets tags to null",
                    "In a merge patch, null means remove; it never stores a null.",
                ),
                Option(
                    "remove",
                    "It removes the tags member",
                    "A merge patch removes every member it sets to null.",
                ),
                Option(
                    "nothing",
                    "Nothing: null means leave it as it is",
                    "Leaving a member out leaves it as it is; naming it with null removes it.",
                ),
            ),
            answer="remove",
            hint="meaning",
        ),
    ),
)

PATCH_CONDITIONAL = Concept(
    "patch-conditional",
    "If-Match makes a change apply only to the version you read: 412 otherwise",
    "patch",
    (
        Question(
            "if-match",
            "You read a note and got its ETag. Someone else then changes the note, and "
            "you send a PATCH with If-Match carrying the ETag you got. What comes back?",
            (
                # RFC 9110 §13.1.1 (If-Match; lost updates), §15.5.13 (412).
                Option(
                    "200",
                    "200 OK: your patch is applied over their change",
                    "That is what happens without If-Match. With it, the server first "
                    "checks that the note is still the one you read.",
                ),
                Option(
                    "304",
                    "304 Not Modified",
                    "304 answers a GET or HEAD whose If-None-Match matches; a failed "
                    "If-Match gets 412.",
                ),
                Option(
                    "412",
                    "412 Precondition Failed, and the other change is kept",
                    "Your tag no longer matches the note, so the condition fails and the "
                    "server applies nothing: no lost update.",
                ),
            ),
            answer="412",
            hint="conditional-patch",
        ),
        Question(
            "current",
            "You send a PATCH with If-Match carrying the note's current ETag: nobody changed "
            "it since you read it. What comes back?",
            (
                # RFC 9110 §13.1.1: a matching If-Match lets the method proceed.
                Option(
                    "200",
                    "200 OK: the tag matches, so the patch is applied",
                    "The condition holds, so the server performs the PATCH as if there "
                    "were no condition.",
                ),
                Option(
                    "304",
                    "304 Not Modified: the note has not changed",
                    "304 is for a GET or HEAD whose If-None-Match matches; If-Match on a "
                    "PATCH lets it go ahead.",
                ),
                Option(
                    "412",
                    "412 Precondition Failed",
                    "412 means the tag did not match; here it does.",
                ),
            ),
            answer="200",
            hint="conditional-patch",
        ),
        Question(
            "why",
            "Why send If-Match with a PATCH at all?",
            (
                # RFC 9110 §13.1.1: If-Match prevents the lost update problem.
                Option(
                    "cache",
                    "So that caches may store the answer",
                    "Answers to PATCH are rarely stored; If-Match is about the resource's "
                    "version, not caching.",
                ),
                Option(
                    "lost-update",
                    "So the change applies only to the version you read, and nobody's "
                    "change is lost",
                    "If someone changed the resource since, the tag no longer matches and "
                    "the server refuses with 412.",
                ),
                Option(
                    "not-modified",
                    "To get 304 when nothing changed",
                    "That is If-None-Match on a GET; If-Match guards a change.",
                ),
            ),
            answer="lost-update",
            hint="conditional-patch",
        ),
    ),
)


# --- OPTIONS --------------------------------------------------------------------------------

OPTIONS_STATUS = Concept(
    "options-405-501",
    "405 for a method this URL refuses (with Allow), 501 for one the server does not know",
    "options",
    (
        Question(
            "post",
            "OPTIONS /methods/options answers Allow: GET, HEAD, OPTIONS. You send a POST "
            "to that URL. What comes back?",
            (
                # RFC 9110 §15.5.6 (405 with Allow), §15.6.2 (501), §15.5.5 (404).
                Option(
                    "501",
                    "501 Not Implemented",
                    "501 is for a method the server implements for no URL at all; this "
                    "server implements POST.",
                ),
                Option(
                    "405",
                    "405 Method Not Allowed, with the same Allow list",
                    "The URL exists but not for POST; a 405 must list what it does allow.",
                ),
                Option(
                    "404",
                    "404 Not Found",
                    "The URL exists: OPTIONS just described it. Only the method is wrong.",
                ),
            ),
            answer="405",
            hint="meaning",
        ),
        Question(
            "unknown",
            "You send the made-up method FOO to this site's home page. What comes back?",
            (
                # RFC 9110 §9.1 and §15.6.2: an unrecognised or unimplemented method
                # SHOULD get 501 (web/methods_guard.py: TRACE, CONNECT and QUERY too).
                Option(
                    "405",
                    "405 Method Not Allowed",
                    "405 is for a method the server implements but this URL refuses.",
                ),
                Option(
                    "400",
                    "400 Bad Request",
                    "FOO is a well-formed method name, just not one this server has.",
                ),
                Option(
                    "501",
                    "501 Not Implemented",
                    "The server implements no method FOO for any URL, which is what 501 says.",
                ),
            ),
            answer="501",
            hint="unknown-methods",
        ),
        Question(
            "must-send",
            "A server answers 405 Method Not Allowed. What must the answer carry?",
            (
                # RFC 9110 §15.5.6: the origin server MUST generate an Allow header field
                # in a 405 response.
                Option(
                    "allow",
                    "An Allow header listing the methods the URL does support",
                    "A 405 must say what is allowed, so the client can choose again.",
                ),
                Option(
                    "retry-after",
                    "A Retry-After header saying when to try again",
                    "Trying the same method later will not help; Retry-After belongs to "
                    "503 and 429.",
                ),
                Option(
                    "nothing",
                    "Nothing more than the status line",
                    "RFC 9110 requires one header field in a 405: Allow.",
                ),
            ),
            answer="allow",
            hint="meaning",
        ),
        Question(
            "delete-here",
            "You send DELETE to /methods/options, a page that allows GET, HEAD and OPTIONS. "
            "This server implements DELETE, for its notes. What comes back?",
            (
                # RFC 9110 §15.5.6 (405 with Allow) and §15.6.2 (501: a method the server
                # does not support for any resource).
                Option(
                    "404",
                    "404 Not Found",
                    "The page exists; only this method is refused on it.",
                ),
                Option(
                    "501",
                    "501 Not Implemented",
                    "This server implements DELETE (for the notes API), so 501 would be "
                    "wrong: the method is implemented, just refused here.",
                ),
                Option(
                    "405",
                    "405 Method Not Allowed, with Allow: GET, HEAD, OPTIONS",
                    "The server implements DELETE, and this URL refuses it: that is 405, listing "
                    "what it allows.",
                ),
            ),
            answer="405",
            hint="meaning",
        ),
    ),
)

OPTIONS_PREFLIGHT = Concept(
    "options-preflight",
    "A CORS preflight: OPTIONS asked first, for a request a form could not send",
    "options",
    (
        Question(
            "preflight",
            "A page on another site calls fetch() to send PUT to your API. What does the "
            "browser send first?",
            (
                # Fetch Standard, CORS-preflight fetch: a method that is not
                # CORS-safelisted (GET, HEAD, POST) is preflighted with OPTIONS.
                Option(
                    "put",
                    "The PUT, then OPTIONS to see whether it may read the answer",
                    "The question comes first: without the server's yes, the PUT is never sent.",
                ),
                Option(
                    "options",
                    "An OPTIONS request asking whether PUT is allowed",
                    "PUT is not one of the methods a page may send across origins without "
                    "asking; the browser asks with an OPTIONS preflight first.",
                ),
                Option(
                    "nothing",
                    "Nothing: browsers never send PUT to another site",
                    "They do, once the preflight's answer allows it.",
                ),
            ),
            answer="options",
            hint="preflight",
        ),
        Question(
            "json-post",
            "A page on another site sends POST with Content-Type: application/json to your "
            "API, using fetch(). Does the browser send a preflight?",
            (
                # Fetch Standard, CORS-safelisted request-header: Content-Type only
                # application/x-www-form-urlencoded, multipart/form-data or text/plain.
                Option(
                    "no-post",
                    "No: POST is a safelisted method, so it never needs one",
                    "The method is safelisted, but the Content-Type is not: a form could "
                    "never send application/json.",
                ),
                Option(
                    "yes",
                    "Yes: application/json is not a Content-Type a form could send",
                    "Only form and plain-text types pass without asking; JSON makes the "
                    "browser send an OPTIONS preflight first.",
                ),
                Option(
                    "no-same",
                    "No: a preflight is only for PUT, PATCH and DELETE",
                    "Headers and Content-Types count too, not only the method.",
                ),
            ),
            answer="yes",
            hint="preflight",
        ),
        Question(
            "plain-get",
            "A page on another site sends a plain GET to your API with fetch(), no extra "
            "headers. What does the browser do?",
            (
                # Fetch Standard: a CORS request with a safelisted method and headers is
                # sent without a preflight; the answer is shared with the page only if
                # Access-Control-Allow-Origin allows it.
                Option(
                    "read",
                    "Sends the GET, and lets the page read any answer",
                    "The answer is shared with the page only if Access-Control-Allow-Origin "
                    "allows it.",
                ),
                Option(
                    "preflight",
                    "Sends OPTIONS first: every request to another origin is preflighted",
                    "Only requests a plain form could not have sent are preflighted; a "
                    "plain GET could have been.",
                ),
                Option(
                    "check",
                    "Sends the GET at once, then lets the page read the answer only if "
                    "Access-Control-Allow-Origin allows it",
                    "A plain GET needs no preflight; CORS then decides whether the page may "
                    "read the answer.",
                ),
            ),
            answer="check",
            hint="preflight",
        ),
    ),
)

OPTIONS_SAFE = Concept(
    "options-safe",
    "OPTIONS asks for no change: it is safe",
    "options",
    (
        Question(
            "scan",
            "Is a tool that sends OPTIONS to every URL of your site asking the site to "
            "change anything?",
            (
                # RFC 9110 §9.2.1 and §9.3.7: OPTIONS is safe.
                Option(
                    "yes",
                    "Yes: it can change things, like DELETE",
                    "OPTIONS is a safe method: it asks what a URL supports, and asks for no "
                    "change.",
                    states="No",
                ),
                Option(
                    "no",
                    "No: OPTIONS only asks what a URL supports",
                    "OPTIONS is safe: it asks for no change, like GET and HEAD.",
                    states="Yes",
                ),
            ),
            fact=Fact(OPTIONS, "safe"),
            hint="properties",
        ),
        Question(
            "preflight-change",
            "A CORS preflight (OPTIONS) reaches your API before a PUT. Should answering it "
            "change anything?",
            (
                # RFC 9110 §9.2.1 and §9.3.7: OPTIONS is safe; Fetch Standard: the
                # preflight only asks whether the real request is allowed.
                Option(
                    "no",
                    "No: OPTIONS is safe; it only asks whether the PUT would be allowed",
                    "The preflight asks a question; the PUT that may follow does the work.",
                    states="Yes",
                ),
                Option(
                    "yes",
                    "Yes: it reserves the note the PUT will write",
                    "OPTIONS is safe: nothing should change until the PUT itself arrives, "
                    "if it does.",
                    states="No",
                ),
            ),
            fact=Fact(OPTIONS, "safe"),
            hint="preflight",
        ),
        Question(
            "unasked",
            "Browsers send preflights on their own, without the page or the user asking for "
            "an OPTIONS. Why is that acceptable?",
            (
                # RFC 9110 §9.2.1: safe methods may be sent without the user asking,
                # because they request no change.
                Option(
                    "unsafe",
                    "It is not: OPTIONS may change things, so browsers take a risk",
                    "OPTIONS is safe: it asks for no change, which is why a browser may "
                    "send it by itself.",
                    states="No",
                ),
                Option(
                    "safe",
                    "OPTIONS is safe: it asks for no change, so a browser may send it itself",
                    "A client may send safe requests by itself; the preflight only asks "
                    "what is allowed.",
                    states="Yes",
                ),
            ),
            fact=Fact(OPTIONS, "safe"),
            hint="meaning",
        ),
    ),
)


# --- GET vs POST in forms --------------------------------------------------------------------

# The forms the GET vs POST self-check asks students to sort, by the rule they apply.
FORM_SCENARIOS = (
    FormScenario("search", "A search box for the site's articles.", False, False),
    FormScenario("filter", "Filtering a product list by colour and size.", False, False),
    FormScenario(
        "language", "Choosing the language a documentation page is shown in.", False, False
    ),
    FormScenario("sign-in", "Signing in with a user name and password.", True, True),
    FormScenario("comment", "Posting a comment under an article.", True, False),
    FormScenario("cart", "Adding a product to your shopping cart.", True, False),
    FormScenario(
        "lookup",
        "Looking up your tax record by your national ID number (it only reads).",
        False,
        True,
    ),
    FormScenario(
        "gift-card",
        "Checking a gift card's balance by its secret code (it only reads).",
        False,
        True,
    ),
    FormScenario(
        "records",
        "Searching your own medical records by diagnosis (it only reads).",
        False,
        True,
    ),
)


def scenarios(*keys: str) -> tuple[Question, ...]:
    """Return the form scenarios called ``keys`` as questions."""
    return tuple(s.question() for key in keys for s in FORM_SCENARIOS if s.key == key)


FORMS_READ = Concept(
    "form-reads",
    "A form that only reads uses GET",
    GUIDE,
    scenarios("search", "filter", "language"),
)
FORMS_CHANGE = Concept(
    "form-changes",
    "A form that changes something uses POST",
    GUIDE,
    scenarios("sign-in", "comment", "cart"),
)
FORMS_SENSITIVE = Concept(
    "form-sensitive",
    "A form that only reads, with sensitive data, uses POST",
    GUIDE,
    scenarios("lookup", "gift-card", "records"),
)


# --- The self-checks: which concepts each page asks about -----------------------------------

#: Each lesson's concepts, in the order its self-check asks them.
LESSON_CONCEPTS: dict[str, tuple[Concept, ...]] = {
    "get": (GET_SAFE, GET_IDEMPOTENT, GET_DATA, GET_CONDITIONAL),
    "head": (HEAD_HEADERS, HEAD_USE, HEAD_SAFE),
    "post": (POST_IDEMPOTENT, POST_CACHEABLE, POST_REDIRECT),
    "put": (PUT_FORMS, PUT_STATUSES, PUT_IDEMPOTENT),
    "delete": (DELETE_IDEMPOTENT, DELETE_SAFE, DELETE_CACHE),
    "patch": (PATCH_IDEMPOTENT, PATCH_FORMAT, PATCH_CONDITIONAL),
    "options": (OPTIONS_STATUS, OPTIONS_PREFLIGHT, OPTIONS_SAFE),
}
GUIDE_CONCEPTS = (FORMS_READ, FORMS_CHANGE, FORMS_SENSITIVE)
#: Every concept, lessons first in their order, then the guide's.
CONCEPTS = (*(c for concepts in LESSON_CONCEPTS.values() for c in concepts), *GUIDE_CONCEPTS)
CONCEPTS_BY_KEY = {concept.key: concept for concept in CONCEPTS}
#: The page whose self-check asks each concept: a lesson's slug, or GUIDE.
PAGE_OF_CONCEPT = {
    **{c.key: slug for slug, concepts in LESSON_CONCEPTS.items() for c in concepts},
    **{c.key: GUIDE for c in GUIDE_CONCEPTS},
}
#: How many questions from earlier lessons open each lesson (retrieval practice).
WARM_UP_SIZE = 2


@dataclass(frozen=True)
class SelfCheck:
    """The questions a page asks: one variant of each concept, or ``count`` drawn from a pool."""

    key: str
    title: str
    page: str  # where the form lives: a lesson's slug, or GUIDE
    concepts: tuple[Concept, ...]
    # Questions per draw, each about another concept; 0: one for every concept.
    count: int = 0
    # Retrieval practice: graded and remembered, but no pass to earn.
    warm_up: bool = False

    @property
    def size(self) -> int:
        """Return how many questions each draw asks."""
        return self.count or len(self.concepts)


def challenge(key: str, title: str, page: str, count: int = 10) -> SelfCheck:
    """Return a mixed challenge: ``count`` questions, each on another concept of any page.

    Drawn like a warm-up (self_checks.draw): weighted to the concepts the visitor
    missed, then to those not yet mastered, with variants they have not seen. A
    summary page can grade it with pages/grading.py, given a URL of its own.
    """
    return SelfCheck(key, title, page, CONCEPTS, count=count, warm_up=True)


def mastery(records: Mapping[str, int]) -> list[tuple[Concept, str]]:
    """Return every concept with how far a visitor got with it (see ``level``), for a grid."""
    return [(concept, level(records.get(concept.key, 0))) for concept in CONCEPTS]


def warm_up_key(slug: str) -> str:
    """Return the key of the warm-up that opens lesson ``slug``."""
    return f"{slug}-warm-up"


SELF_CHECKS = (
    *(
        SelfCheck(
            method.slug, f"The {method.name} method", method.slug, LESSON_CONCEPTS[method.slug]
        )
        for method in METHODS
    ),
    SelfCheck(GUIDE, "GET vs POST in forms", GUIDE, GUIDE_CONCEPTS),
)
#: The warm-ups: two questions drawn from the lessons before, for every lesson but the first.
WARM_UPS = tuple(
    SelfCheck(
        warm_up_key(method.slug),
        f"Warm-up before the {method.name} lesson",
        method.slug,
        tuple(c for earlier in METHODS[:index] for c in LESSON_CONCEPTS[earlier.slug]),
        count=WARM_UP_SIZE,
        warm_up=True,
    )
    for index, method in enumerate(METHODS)
    if index > 0
)
SELF_CHECKS_BY_KEY = {check.key: check for check in (*SELF_CHECKS, *WARM_UPS)}


# --- A visitor's record of each concept, kept in their cookie as one small number -----------

SEEN = (1 << MAX_VARIANTS) - 1  # one bit per variant shown to the visitor
MISSED = 1 << MAX_VARIANTS  # their last answer on it was wrong
MASTERED = 1 << (MAX_VARIANTS + 1)  # right at least once on a variant they had not seen


def level(record: int) -> str:
    """Return how far a visitor got with a concept: new, missed, practised or mastered."""
    if record & MASTERED and not record & MISSED:
        return "mastered"
    if record & MISSED:
        return "missed"
    return "practised" if record & SEEN else "new"


def after_answer(record: int, concept: Concept, variant: int, correct: bool, fresh: bool) -> int:
    """Return a concept's record after an answer on ``variant``."""
    seen = (record & SEEN) | 1 << variant
    if seen == (1 << len(concept.variants)) - 1:  # all seen: a new round, this one last
        seen = 1 << variant
    missed = MISSED if not correct else (0 if fresh else record & MISSED)
    mastered = MASTERED if correct and fresh else record & MASTERED
    return seen | missed | mastered


# --- Drawing the questions, and the order of their options ----------------------------------


@dataclass(frozen=True)
class Drawn:
    """One question as a visitor sees it: a concept's variant, its options in their order."""

    concept: Concept
    variant: int
    order: tuple[int, ...]

    @property
    def question(self) -> Question:
        """Return the variant asked."""
        return self.concept.variants[self.variant]

    @property
    def options(self) -> tuple[Option, ...]:
        """Return the options in the order shown."""
        return tuple(self.question.options[index] for index in self.order)

    @property
    def right_position(self) -> int:
        """Return where the right option is shown, from 0."""
        right = self.question.right
        return next(i for i, option in enumerate(self.options) if option.key == right)


def balanced_positions(questions: Iterable[Question], offset: int = 0) -> list[int]:
    """Place each right answer where the fewest have gone so far (ties: from ``offset`` on).

    Questions with fewer options choose first, since they have fewer places to go.
    """
    listed = list(questions)
    counts = [0] * 8
    positions = [0] * len(listed)
    for index in sorted(range(len(listed)), key=lambda i: len(listed[i].options)):
        size = len(listed[index].options)
        best = min(range(size), key=lambda p: (counts[p], (p - offset) % size))
        counts[best] += 1
        positions[index] = best
    return positions


def placed(question: Question, position: int, rng: random.Random | None = None) -> tuple[int, ...]:
    """Return an order of ``question``'s options that shows the right one at ``position``.

    The wrong options keep their order, or with ``rng`` take the other places at random.
    """
    right = next(i for i, option in enumerate(question.options) if option.key == question.right)
    others = [i for i in range(len(question.options)) if i != right]
    if rng:
        rng.shuffle(others)
    return (*others[:position], right, *others[position:])


#: The order everyone shares (the cached pages, the printed quiz): the right answers of all
#: variants spread evenly over the positions.
DEFAULT_ORDERS = {
    (concept.key, variant): placed(concept.variants[variant], position)
    for (concept, variant), position in zip(
        [(c, v) for c in CONCEPTS for v in range(len(c.variants))],
        balanced_positions(q for c in CONCEPTS for q in c.variants),
        strict=True,
    )
}


#: The most of a visitor's right answers, predictions included, one position may hold.
MAX_SHARE = 0.4
#: Where the lesson predictions (the same for everyone) put their right choices.
PREDICTION_POSITIONS = tuple(
    next(i for i, choice in enumerate(prediction.choices) if choice.key == prediction.answer)
    for method in METHODS
    for part in (method.try_it, method.walkthrough, method.contrast)
    if part is not None and (prediction := part.prediction) is not None
)


def variant_order(concept: Concept, seed: int) -> list[int]:
    """Return the order in which a visitor meets ``concept``'s variants."""
    variants = list(range(len(concept.variants)))
    random.Random(f"{seed}:{concept.key}").shuffle(variants)
    return variants


def spread(questions: list[Question], pages: list[str], rng: random.Random) -> list[int]:
    """Return where each of ``questions`` shows its right answer, beside the predictions.

    Round-robin from a random start among the questions with as many options, in a
    random order, so every position gets its share; then, while one position holds
    more than MAX_SHARE of these answers and the predictions' (two-option questions
    crowd the first two), a question there moves to the emptiest place it has. Last,
    where one guess would answer a whole page's questions (``pages``: each one's page),
    two questions of as many options swap places, which keeps every count.
    """
    counts = [PREDICTION_POSITIONS.count(p) for p in range(8)]
    positions = [0] * len(questions)
    turns: dict[int, int] = {}
    for index in rng.sample(range(len(questions)), len(questions)):
        size = len(questions[index].options)
        turn = turns.setdefault(size, rng.randrange(size))
        turns[size] = turn + 1
        positions[index] = turn % size
        counts[turn % size] += 1
    limit = int(MAX_SHARE * (len(questions) + len(PREDICTION_POSITIONS)))
    while max(counts) > limit:
        full = counts.index(max(counts))
        moves = [
            (counts[place], index, place)
            for index, question in enumerate(questions)
            if positions[index] == full
            for place in range(len(question.options))
            if counts[place] + 1 < counts[full]
        ]
        if not moves:
            break
        _, index, place = min(moves)
        counts[full] -= 1
        counts[place] += 1
        positions[index] = place
    unmix_pages(questions, pages, positions)
    return positions


def unmix_pages(questions: list[Question], pages: list[str], positions: list[int]) -> None:
    """Swap right-answer places until no page's questions are all answered by one guess."""
    sizes = [len(question.options) for question in questions]

    def guessable(page: str) -> bool:
        return one_position_answers(
            [(positions[i], sizes[i]) for i in range(len(questions)) if pages[i] == page]
        )

    for page in dict.fromkeys(pages):
        if not guessable(page):
            continue
        last = max(i for i in range(len(questions)) if pages[i] == page)
        for other in range(len(questions)):
            if pages[other] == page or sizes[other] != sizes[last]:
                continue
            if positions[other] == positions[last]:
                continue
            positions[last], positions[other] = positions[other], positions[last]
            if not guessable(page) and not guessable(pages[other]):
                break
            positions[last], positions[other] = positions[other], positions[last]


@lru_cache(maxsize=1024)
def visitor_orders(seed: int) -> dict[tuple[str, int], tuple[int, ...]]:
    """Return a visitor's order of options for every variant of every concept.

    A visitor meets the variants in rounds (variant_order): first one of each concept,
    then another. Each round is spread over the positions, so whatever the seed, no
    position holds more than MAX_SHARE of the right answers of a round's questions and
    the predictions together. The wrong options take the other places in a random order.
    """
    rng = random.Random(f"{seed}:positions")
    orders = {}
    rounds = max(len(concept.variants) for concept in CONCEPTS)
    for number in range(rounds):
        picked = [
            (concept, order[number])
            for concept in CONCEPTS
            if number < len(order := variant_order(concept, seed))
        ]
        questions = [concept.variants[variant] for concept, variant in picked]
        pages = [PAGE_OF_CONCEPT[concept.key] for concept, _ in picked]
        for (concept, variant), position in zip(picked, spread(questions, pages, rng), strict=True):
            orders[(concept.key, variant)] = placed(concept.variants[variant], position, rng)
    return orders


def arrange(picks: list[tuple[Concept, int]], seed: int | None) -> list[Drawn]:
    """Order the options of the questions picked: shared (seed None) or the visitor's own.

    If always choosing one position (the nth option, or the last when a question has
    fewer) would answer them all, the last question's options move along until it
    would not: such a guess can never pass.
    """
    orders = DEFAULT_ORDERS if seed is None else visitor_orders(seed)
    drawn = [Drawn(concept, variant, orders[(concept.key, variant)]) for concept, variant in picks]
    while len(drawn) > 1 and answered_by_one_position(drawn):
        last = drawn[-1]
        drawn[-1] = Drawn(last.concept, last.variant, (*last.order[1:], last.order[0]))
    return drawn


def answered_by_one_position(drawn: list[Drawn]) -> bool:
    """Return whether choosing the nth option (or the last) every time answers all of ``drawn``."""
    return one_position_answers([(item.right_position, len(item.order)) for item in drawn])


def one_position_answers(placed_answers: list[tuple[int, int]]) -> bool:
    """Return whether one guess (the nth option, or the last) hits every (position, size)."""
    widest = max(size for _, size in placed_answers)
    return any(
        all(position == min(n, size - 1) for position, size in placed_answers)
        for n in range(widest)
    )


def next_variant(concept: Concept, seed: int | None, record: int) -> int:
    """Return the variant to ask: the first, shared; else one the visitor has not seen."""
    if seed is None:
        return 0
    variants = variant_order(concept, seed)
    unseen = [variant for variant in variants if not record & 1 << variant]
    return (unseen or variants)[0]


def weighted_pick(
    concepts: tuple[Concept, ...], count: int, rng: random.Random, records: Mapping[str, int]
) -> list[Concept]:
    """Pick ``count`` concepts, favouring those missed, then those not yet mastered."""

    def weight(concept: Concept) -> float:
        record = records.get(concept.key, 0)
        return 1.0 + 4.0 * bool(record & MISSED) + 1.0 * (not record & MASTERED)

    # Efraimidis and Spirakis: the largest random() ** (1 / weight) win.
    ranked = sorted(concepts, key=lambda c: rng.random() ** (1 / weight(c)), reverse=True)
    chosen = set(ranked[:count])
    return [concept for concept in concepts if concept in chosen]


def draw(
    check: SelfCheck,
    seed: int | None = None,
    attempt: int = 0,
    records: Mapping[str, int] | None = None,
) -> list[Drawn]:
    """Draw ``check``'s questions: shared when ``seed`` is None, else for this visitor's try."""
    records = records or {}
    concepts = list(check.concepts)
    if check.count:
        rng = random.Random(f"{seed}:{check.key}:{attempt}")
        concepts = weighted_pick(check.concepts, check.count, rng, records)
    picks = [(c, next_variant(c, seed, records.get(c.key, 0))) for c in concepts]
    return arrange(picks, seed)


# A draw travels in the form as a token: "s" (shared) or the try's number, then each
# concept with its variant, so the answers are graded against what the visitor was shown.
SHARED = "s"
MAX_ATTEMPT = 1_000_000


def token(drawn: list[Drawn], attempt: int | None) -> str:
    """Return the token of a draw: ``attempt`` None for the shared one."""
    picks = ",".join(f"{item.concept.key}:{item.variant}" for item in drawn)
    return f"{SHARED if attempt is None else attempt}|{picks}"


def read_token(check: SelfCheck, text: str) -> tuple[int | None, list[tuple[Concept, int]]] | None:
    """Return the try and the questions a token names, or None unless ``check`` could ask them."""
    head, _, tail = text.partition("|")
    if head == SHARED:
        attempt = None
    elif head.isascii() and head.isdigit() and int(head) <= MAX_ATTEMPT:
        attempt = int(head)
    else:
        return None
    allowed = {concept.key: concept for concept in check.concepts}
    picks: list[tuple[Concept, int]] = []
    for part in tail.split(","):
        key, _, number = part.partition(":")
        concept = allowed.get(key)
        if concept is None or not (number.isascii() and number.isdigit()):
            return None
        if int(number) >= len(concept.variants) or any(c is concept for c, _ in picks):
            return None
        picks.append((concept, int(number)))
    if len(picks) != check.size:
        return None
    return attempt, picks


@dataclass(frozen=True)
class Graded:
    """One question with the option chosen: right or not, and on a variant new to the visitor."""

    drawn: Drawn
    chosen: str
    fresh: bool

    @property
    def correct(self) -> bool:
        """Return whether the chosen option is the right one."""
        return self.chosen == self.drawn.question.right

    @property
    def why(self) -> str:
        """Return the explanation of the option chosen (and only of it)."""
        option = self.drawn.question.option(self.chosen)
        return option.why if option else ""


def passes(check: SelfCheck, graded: list[Graded]) -> bool:
    """Return whether ``graded`` passes ``check``: all right, each on a variant new to them."""
    return not check.warm_up and all(item.correct and item.fresh for item in graded)
