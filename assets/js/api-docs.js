// The browsable API reference: Swagger UI over the app's own /api/openapi.json.
// Bundled here with its stylesheet; it reaches no other host (no validator badge, no CDN).
import SwaggerUI from "swagger-ui-dist/swagger-ui-es-bundle.js";
import "swagger-ui-dist/swagger-ui.css";

const root = document.getElementById("api-reference");
if (root) {
  SwaggerUI({
    domNode: root,
    url: root.dataset.spec,
    validatorUrl: null,
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    // Reads can be tried from the page; writes need a token and are described only.
    supportedSubmitMethods: ["get"],
  });
}
