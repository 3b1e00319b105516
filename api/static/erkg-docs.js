// Starts Swagger UI (/docs) or ReDoc (/redoc) on the OpenAPI document named by the page,
// with the assets this server serves: nothing here reaches another host.
(function () {
  "use strict";

  var swagger = document.getElementById("swagger-ui");
  var redoc = document.getElementById("redoc");
  var root = swagger || redoc;
  // Relative to the page, so the docs work behind any host or path prefix.
  var openapi = new URL(root.getAttribute("data-openapi"), window.location.href).href;

  if (swagger && typeof window.SwaggerUIBundle !== "undefined") {
    window.SwaggerUIBundle({
      url: openapi,
      dom_id: "#swagger-ui",
      deepLinking: true,
      showExtensions: true,
      // The validator badge would ask validator.swagger.io about every page view.
      validatorUrl: null,
      presets: [window.SwaggerUIBundle.presets.apis]
    });
  } else if (redoc && typeof window.Redoc !== "undefined") {
    window.Redoc.init(openapi, {}, redoc);
  }
}());
