"""The self-check after each lesson and on GET vs POST: questions that test understanding.

They live beside the method facts (methods.py) and lean on them: a question
about a method's property names the fact (``fact``), and its right answer is the
option that states that fact's value, so the two cannot disagree. Every other
right answer is checked against the running site, or against the rule it states,
by tests/test_self_checks.py. Each explanation names its source in a comment.
"""

from dataclasses import dataclass, field

from methodslab.methods import METHODS_BY_SLUG, Method

# Fetch Standard, "CORS-safelisted method": a page may send these to another origin
# without a preflight; any other method (PUT, PATCH, DELETE) is preflighted with OPTIONS.
CORS_SAFELISTED_METHODS = ("GET", "HEAD", "POST")
# HTML Standard, the form element's method attribute: its keywords, and the state an
# invalid or missing value falls back to (the GET state).
FORM_METHOD_KEYWORDS = ("get", "post", "dialog")
FORM_METHOD_FALLBACK = "get"

GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS = (
    METHODS_BY_SLUG[slug] for slug in ("get", "head", "post", "put", "delete", "patch", "options")
)


@dataclass(frozen=True)
class Option:
    """One answer to choose, and why it is right or wrong."""

    key: str
    text: str
    why: str
    # In a question about a fact: the value of that fact this option asserts.
    states: str = ""


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
class SelfCheck:
    """The questions at the end of one page."""

    key: str
    title: str
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def question(self, key: str) -> Question | None:
        """Return the question called ``key``, or None."""
        return next((question for question in self.questions if question.key == key), None)


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
            self.form,
            (Option("get", "GET", get_why), Option("post", "POST", post_why)),
            answer=self.method,
        )


# The five forms the GET vs POST self-check asks students to sort.
FORM_SCENARIOS = (
    FormScenario("search", "A search box for the site's articles", False, False),
    FormScenario("sign-in", "Signing in with a user name and password", True, True),
    FormScenario("filter", "Filtering a product list by colour and size", False, False),
    FormScenario("comment", "Posting a comment under an article", True, False),
    FormScenario(
        "lookup",
        "Looking up your tax record by your national ID number (it only reads)",
        False,
        True,
    ),
)

SELF_CHECKS = (
    SelfCheck(
        "get",
        "The GET method",
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
            ),
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
            ),
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
            ),
        ),
    ),
    SelfCheck(
        "head",
        "The HEAD method",
        (
            Question(
                "length",
                "HEAD /methods/head answers with Content-Length: 9000 and no body. What is 9000?",
                (
                    # RFC 9110 §9.3.2 (HEAD: the fields of a GET, without the content),
                    # §8.6 (Content-Length in a HEAD response: what GET would send).
                    Option(
                        "get",
                        "The length of the body a GET would bring",
                        "A HEAD answer carries the fields a GET answer would, Content-Length "
                        "included, and leaves out only the content.",
                    ),
                    Option(
                        "zero",
                        "A mistake: it should be 0, since there is no body",
                        "Content-Length in an answer to HEAD tells the size of GET's content, "
                        "not of the empty body HEAD gets.",
                    ),
                    Option(
                        "headers",
                        "The size of the header section",
                        "Content-Length only ever counts the content's bytes, never the "
                        "header fields.",
                    ),
                ),
                answer="get",
            ),
            Question(
                "video",
                "You want to know whether a 2 GB video changed since yesterday, without "
                "downloading it. Which request fits?",
                (
                    # RFC 9110 §9.3.2 (HEAD), §8.8 (ETag, Last-Modified), §9.3.7 (OPTIONS).
                    Option(
                        "head",
                        "HEAD, then compare its ETag or Last-Modified with yesterday's",
                        "HEAD brings the headers a GET would, validators included, without the "
                        "2 GB of content.",
                    ),
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
                ),
                answer="head",
            ),
            Question(
                "checker",
                "A link checker sends HEAD to every URL of your site each night. Does it ask "
                "your site to change anything?",
                (
                    # RFC 9110 §9.2.1: safe is a property of the request: the client does not
                    # request a state change, and is not accountable for side effects the
                    # server has anyway. Flask runs the GET view for a HEAD.
                    Option(
                        "no",
                        "No: HEAD is safe, so the checker asks for no change",
                        "Safe describes the request, not what the server does with it. Flask "
                        "runs the GET view for a HEAD, so a view that changed something on GET "
                        "would change it for the checker too: keeping HEAD harmless is the "
                        "site's job.",
                        states="Yes",
                    ),
                    Option(
                        "yes",
                        "Yes: it runs the same code as GET",
                        "Running the same code is not asking for a change. HEAD is safe: the "
                        "checker asks for nothing to change, and the site must not treat it as "
                        "a request to change anything.",
                        states="No",
                    ),
                ),
                fact=Fact(HEAD, "safe"),
            ),
        ),
    ),
    SelfCheck(
        "post",
        "The POST method",
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
                        "no",
                        "No: the first one may have arrived, and a second would post twice",
                        "POST is not idempotent: two identical POSTs may do the thing twice. "
                        "So a client should not repeat one by itself, unless it can tell "
                        "that the first never reached the server.",
                        states="No",
                    ),
                    Option(
                        "yes",
                        "Yes: the same request always has the same effect",
                        "That holds for idempotent methods such as PUT; POST is not one.",
                        states="Yes",
                    ),
                ),
                fact=Fact(POST, "idempotent"),
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
                    Option(
                        "never",
                        "No: a response to POST can never be stored",
                        "It can, with explicit freshness information such as max-age and a "
                        "Content-Location equal to the POST's URL, and then serve a later GET "
                        "or HEAD of that URL.",
                        states="No",
                    ),
                ),
                fact=Fact(POST, "cacheable"),
            ),
            Question(
                "redirect",
                "After a successful login by POST, the server sends the browser to the "
                "welcome page. Which answer should it give?",
                (
                    # RFC 9110 §15.4.4 (303: retrieve the other URI with GET),
                    # §15.4.8 (307: the method must not change), §15.5.6 (405).
                    Option(
                        "303",
                        "303 See Other",
                        "303 tells the browser to fetch the welcome page with GET, so "
                        "reloading it repeats only that GET: Post/Redirect/Get.",
                    ),
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
                ),
                answer="303",
            ),
            Question(
                "twice",
                "You send POST /api/notes with the same body twice. What do you have?",
                (
                    # RFC 9110 §9.3.3 (the resource decides), §15.3.2 (201 Created).
                    Option(
                        "two",
                        "Two new notes, each with an id the server chose",
                        "Each POST asks the collection to process the data again: here, to "
                        "add another note. Both answers are 201 Created.",
                    ),
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
                ),
                answer="two",
            ),
        ),
    ),
    SelfCheck(
        "put",
        "The PUT method",
        (
            Question(
                "form",
                'A page has <form method="put" action="/api/notes/shopping">. What does the '
                "browser send when the form is submitted?",
                (
                    # HTML Standard, the form element's method attribute: keywords get,
                    # post and dialog; an invalid value falls back to the GET state.
                    Option(
                        "get",
                        "GET, with the fields in the query string",
                        'Forms know only get, post and dialog; an unknown value such as "put" '
                        "counts as the default, get.",
                        states="No",
                    ),
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
                ),
                fact=Fact(PUT, "html_forms"),
            ),
            Question(
                "statuses",
                "No note called shopping exists. You send PUT /api/notes/shopping with "
                '{"text": "Milk"} twice. What are the two answers?',
                (
                    # RFC 9110 §9.3.4: 201 when PUT creates, 200 or 204 when it replaces.
                    Option(
                        "201-200",
                        "201 Created, then 200 OK; one note",
                        "The first PUT creates the note, the second replaces it with the same "
                        "state: one note, as the first left it.",
                    ),
                    Option(
                        "201-201",
                        "201 Created twice; two notes",
                        "PUT names the URL: there is only one /api/notes/shopping, so there can "
                        "be only one note.",
                    ),
                    Option(
                        "201-409",
                        "201 Created, then 409 Conflict",
                        "PUT means: make this URL hold this state. That is no conflict; the "
                        "server replaces the note.",
                    ),
                ),
                answer="201-200",
            ),
            Question(
                "timeout",
                "A phone app's PUT times out: it cannot tell whether the request arrived. May "
                "it simply send the same PUT again?",
                (
                    # RFC 9110 §9.2.2: PUT is idempotent, so it may be repeated.
                    Option(
                        "yes",
                        "Yes: a second identical PUT leaves the same state as one",
                        "PUT is idempotent: whether the first arrived or not, the note ends up "
                        "holding what was sent.",
                        states="Yes",
                    ),
                    Option(
                        "no",
                        "No: it might create the note twice",
                        "PUT targets one URL, so it cannot create two notes; it is idempotent.",
                        states="No",
                    ),
                ),
                fact=Fact(PUT, "idempotent"),
            ),
        ),
    ),
    SelfCheck(
        "delete",
        "The DELETE method",
        (
            Question(
                "second",
                "DELETE /api/notes/old answers 204 No Content. You send the same DELETE again. "
                "What does this API answer, and is DELETE still idempotent?",
                (
                    # RFC 9110 §9.2.2: idempotency is about the intended effect on the
                    # server, not the response; §15.5.5 (404).
                    Option(
                        "404-yes",
                        "404 Not Found, and yes: the notes are the same after both",
                        "Idempotent is about the effect on the server, not the answer. The "
                        "note is gone after one DELETE and after two.",
                        states="Yes",
                    ),
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
                ),
                fact=Fact(DELETE, "idempotent"),
            ),
            Question(
                "link",
                "Why should a Delete control never be a plain link (<a href>)?",
                (
                    # RFC 9110 §9.2.1 (safe; robots follow links), §9.2.2 (idempotent
                    # is not safe).
                    Option(
                        "unsafe",
                        "A link sends GET, and deleting is not safe",
                        "Crawlers and prefetchers follow links freely, because GET is safe. "
                        "Deleting changes state: it needs DELETE, or a POST form.",
                        states="No",
                    ),
                    Option(
                        "fine",
                        "It may be a link: DELETE is idempotent, so it is safe",
                        "Idempotent is not safe: deleting once already changes the server, and "
                        "DELETE is not a safe method.",
                        states="Yes",
                    ),
                ),
                fact=Fact(DELETE, "safe"),
            ),
            Question(
                "cache",
                "A cache stored an answer to GET /api/notes/old. Then a DELETE of "
                "/api/notes/old passes through it and succeeds. What does the cache do?",
                (
                    # RFC 9110 §9.3.5 (DELETE responses are not cacheable), RFC 9111 §4.4
                    # (an unsafe request that succeeds invalidates stored responses).
                    Option(
                        "drop",
                        "It drops what it stored for that URL, and stores nothing new",
                        "A successful unsafe request makes caches drop their copies of its "
                        "URL, and DELETE's own answer is not cacheable.",
                        states="No",
                    ),
                    Option(
                        "store",
                        "It stores the DELETE's answer, to serve the next GET",
                        "Answers to DELETE are not cacheable, and the next GET must reach the "
                        "server.",
                        states="Yes",
                    ),
                ),
                fact=Fact(DELETE, "cacheable"),
            ),
        ),
    ),
    SelfCheck(
        "patch",
        "The PATCH method",
        (
            Question(
                "json-patch",
                'Is this JSON Patch idempotent? [{"op": "add", "path": "/tags/-", '
                '"value": "urgent"}]',
                (
                    # RFC 6902 §4.1: "-" is the end of the array, and "add" inserts there;
                    # RFC 5789 §2: PATCH is not idempotent, though a patch document may be.
                    Option(
                        "no",
                        'No: each time, it appends one more "urgent"',
                        'A path ending in "-" means the end of the array, so every add puts '
                        "another item there.",
                    ),
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
                ),
                answer="no",
            ),
            Question(
                "merge-twice",
                'You send the JSON Merge Patch {"text": "Final"} twice to the same note. What '
                "does the second one do?",
                (
                    # RFC 7396 §2: a merge patch states each member's final value, so
                    # applying it twice equals once.
                    Option(
                        "nothing",
                        "Nothing more: the note already says Final, so its version stays",
                        "A merge patch gives the final value of each field it names; once "
                        "applied, applying it again changes nothing.",
                    ),
                    Option(
                        "again",
                        "It changes the note again and raises its version",
                        "There is nothing left to change: the text is already Final, and this "
                        "API keeps the version when nothing changes.",
                    ),
                    Option(
                        "conflict",
                        "It fails with 409 Conflict",
                        "Setting a field to the value it has is no conflict; the answer is 200 OK.",
                    ),
                ),
                answer="nothing",
            ),
            Question(
                "if-match",
                "You read a note and got its ETag. Someone else then changes the note, and "
                "you send a PATCH with If-Match carrying the ETag you got. What comes back?",
                (
                    # RFC 9110 §13.1.1 (If-Match; lost updates), §15.5.13 (412).
                    Option(
                        "412",
                        "412 Precondition Failed, and the other change is kept",
                        "Your tag no longer matches the note, so the condition fails and the "
                        "server applies nothing: no lost update.",
                    ),
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
                ),
                answer="412",
            ),
        ),
    ),
    SelfCheck(
        "options",
        "The OPTIONS method",
        (
            Question(
                "post",
                "OPTIONS /methods/options answers Allow: GET, HEAD, OPTIONS. You send a POST "
                "to that URL. What comes back?",
                (
                    # RFC 9110 §15.5.6 (405 with Allow), §15.6.2 (501), §15.5.5 (404).
                    Option(
                        "405",
                        "405 Method Not Allowed, with the same Allow list",
                        "The URL exists but not for POST; a 405 must list what it does allow.",
                    ),
                    Option(
                        "501",
                        "501 Not Implemented",
                        "501 is for a method the server implements for no URL at all; this "
                        "server implements POST.",
                    ),
                    Option(
                        "404",
                        "404 Not Found",
                        "The URL exists: OPTIONS just described it. Only the method is wrong.",
                    ),
                ),
                answer="405",
            ),
            Question(
                "preflight",
                "A page on another site calls fetch() to send PUT to your API. What does the "
                "browser send first?",
                (
                    # Fetch Standard, CORS-preflight fetch: a method that is not
                    # CORS-safelisted (GET, HEAD, POST) is preflighted with OPTIONS.
                    Option(
                        "options",
                        "An OPTIONS request asking whether PUT is allowed",
                        "PUT is not one of the methods a page may send across origins without "
                        "asking; the browser asks with an OPTIONS preflight first.",
                    ),
                    Option(
                        "put",
                        "The PUT, then OPTIONS to see whether it may read the answer",
                        "The question comes first: without the server's yes, the PUT is "
                        "never sent.",
                    ),
                    Option(
                        "nothing",
                        "Nothing: browsers never send PUT to another site",
                        "They do, once the preflight's answer allows it.",
                    ),
                ),
                answer="options",
            ),
            Question(
                "scan",
                "Is it harmless for a tool to send OPTIONS to every URL of your site?",
                (
                    # RFC 9110 §9.2.1 and §9.3.7: OPTIONS is safe.
                    Option(
                        "yes",
                        "Yes: OPTIONS only asks what a URL supports",
                        "OPTIONS is safe: it asks for no change, like GET and HEAD.",
                        states="Yes",
                    ),
                    Option(
                        "no",
                        "No: it can change things, like DELETE",
                        "OPTIONS is a safe method: it asks what the URL supports, and asks "
                        "for no change.",
                        states="No",
                    ),
                ),
                fact=Fact(OPTIONS, "safe"),
            ),
            Question(
                "unknown",
                "You send the made-up method FOO to this site's home page. What comes back?",
                (
                    # RFC 9110 §9.1 and §15.6.2: an unrecognised or unimplemented method
                    # gets 501 (web/methods_guard.py: TRACE, CONNECT and QUERY too).
                    Option(
                        "501",
                        "501 Not Implemented",
                        "The server implements no method FOO for any URL, which is what 501 says.",
                    ),
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
                ),
                answer="501",
            ),
        ),
    ),
    SelfCheck(
        "get-vs-post",
        "GET vs POST in forms",
        tuple(scenario.question() for scenario in FORM_SCENARIOS),
    ),
)

SELF_CHECKS_BY_KEY = {check.key: check for check in SELF_CHECKS}
