// The API docs page: Swagger UI from the package's own copy, reading our OpenAPI document.
window.addEventListener("load", function () {
  "use strict";
  window.ui = SwaggerUIBundle({
    url: document.getElementById("swagger-ui").dataset.openapi,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
  });
});
