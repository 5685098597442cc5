export { ApiDocsModule } from './apidocs.module';
export { OpenApiService } from './openapi/openapi.service';
export { buildOpenApiDocument, type OpenApiDocument } from './openapi/openapi-document';
export { generateTypes } from './typegen/typegen';
