/*
 * The Jianglian GraphiQL console (replaces graphene-django's static/graphene_django/graphiql.js).
 *
 * - Preloads the editors from the URL: `?query=…&variables=…&operationName=…` (links, docs) or the
 *   `#query=…` fragment this script keeps up to date while you type (the fragment wins, so a reload
 *   keeps your edits; it never reaches the server's logs).
 * - Posts every request to the console path itself WITHOUT those parameters: graphene-django reads
 *   `request.GET["query"]` before the body, so posting to `/graphql/?query=…` would run the URL's
 *   query instead of the edited one (and answer GraphiQL's schema introspection with it).
 * - Sends Django's CSRF token, read from the `csrftoken` cookie at each request (a sign-in in
 *   another tab rotates it), falling back to the page's {% csrf_token %} field.
 * - No subscriptions (no graphql-ws), no explorer plugin: the vendored files are listed in README.md.
 */
(function (window, document) {
  "use strict";

  var SETTINGS = window.GRAPHENE_SETTINGS || {};
  var PARAM_NAMES = ["query", "variables", "operationName"];

  function readParams() {
    var params = {};
    var search = new URLSearchParams(window.location.search);
    var hash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    PARAM_NAMES.forEach(function (name) {
      var value = hash.has(name) ? hash.get(name) : search.get(name);
      if (value !== null) {
        params[name] = value;
      }
    });
    if (!("operationName" in params) && search.get("operation_name") !== null) {
      params.operationName = search.get("operation_name");
    }
    return params;
  }

  var parameters = readParams();
  var endpoint = window.location.pathname;

  function updateURL() {
    var fragment = new URLSearchParams();
    PARAM_NAMES.forEach(function (name) {
      if (parameters[name]) {
        fragment.set(name, parameters[name]);
      }
    });
    window.history.replaceState(null, "", endpoint + "#" + fragment.toString());
  }

  function csrfToken() {
    var match = ("; " + document.cookie).split("; csrftoken=");
    if (match.length === 2) {
      return decodeURIComponent(match.pop().split(";").shift());
    }
    var field = document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function fetcher(graphQLParams, options) {
    var headers = { Accept: "application/json", "Content-Type": "application/json" };
    var extra = (options && options.headers) || {};
    Object.keys(extra).forEach(function (name) {
      headers[name] = extra[name];
    });
    var token = csrfToken();
    if (token) {
      headers["X-CSRFToken"] = token;
    }
    return window
      .fetch(endpoint, {
        method: "POST",
        credentials: "same-origin",
        headers: headers,
        body: JSON.stringify(graphQLParams),
      })
      .then(function (response) {
        return response.text();
      })
      .then(function (text) {
        try {
          return JSON.parse(text);
        } catch (error) {
          return text; // e.g. Django's HTML 403 page when the CSRF check fails
        }
      });
  }

  function edited(name) {
    return function (value) {
      parameters[name] = value;
      updateURL();
    };
  }

  var props = {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    onEditQuery: edited("query"),
    onEditVariables: edited("variables"),
    onEditOperationName: edited("operationName"),
    isHeadersEditorEnabled: SETTINGS.graphiqlHeaderEditorEnabled,
    shouldPersistHeaders: SETTINGS.graphiqlShouldPersistHeaders,
    inputValueDeprecation: SETTINGS.graphiqlInputValueDeprecation,
  };
  if ("query" in parameters) {
    props.query = parameters.query;
  }
  if (parameters.variables) {
    props.variables = parameters.variables;
  }
  if (parameters.operationName) {
    props.operationName = parameters.operationName;
  }

  window.ReactDOM.render(
    window.React.createElement(window.GraphiQL, props),
    document.getElementById("editor")
  );
})(window, document);
