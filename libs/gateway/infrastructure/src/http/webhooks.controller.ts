import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ManageWebhookEndpointsHandler,
  RegisterWebhookEndpointHandler,
  WebhookDeliveriesHandler,
} from '@rtp/gateway/application';
import { Principal } from '@rtp/gateway/domain';
import { ApiKeyGuard, CurrentPrincipal } from './api-key.guard';
import { isId, valueOf } from './controller-support';
import { RefusalError } from './problems/refusal-problem';
import { parseRequest } from './validation';
import {
  createWebhookEndpointSchema,
  rotateWebhookSecretSchema,
  webhookDeliveriesQuerySchema,
} from './webhook-validation';
import {
  webhookDeliveryRepresentation,
  webhookEndpointRepresentation,
} from './webhook-representations';

/** A path id that cannot be an id names no endpoint: answered as an unknown one, never read. */
function endpointIdOf(id: string): string {
  if (!isId(id)) throw new RefusalError({ code: 'webhook_endpoint_not_found', endpointId: id });
  return id;
}

/** A client's own webhook endpoints, their secrets and deliveries (another's answer 404). */
@Controller('v1/webhook-endpoints')
@UseGuards(ApiKeyGuard)
export class WebhooksController {
  constructor(
    @Inject(RegisterWebhookEndpointHandler)
    private readonly register: RegisterWebhookEndpointHandler,
    @Inject(ManageWebhookEndpointsHandler)
    private readonly endpoints: ManageWebhookEndpointsHandler,
    @Inject(WebhookDeliveriesHandler) private readonly deliveries: WebhookDeliveriesHandler,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    const input = parseRequest(createWebhookEndpointSchema, body);
    const created = valueOf(await this.register.execute(principal, input));
    return { ...webhookEndpointRepresentation(created), secret: created.secret };
  }

  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    const endpoints = valueOf(await this.endpoints.list(principal));
    return { data: endpoints.map(webhookEndpointRepresentation) };
  }

  @Delete(':id')
  @HttpCode(200)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    const deleted = valueOf(await this.endpoints.delete(principal, endpointIdOf(id)));
    return { id: deleted.id, status: 'deleted' };
  }

  @Post(':id/secret-rotations')
  @HttpCode(201)
  async rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const { overlapSeconds } = parseRequest(rotateWebhookSecretSchema, body);
    const rotated = valueOf(
      await this.endpoints.rotateSecret(principal, endpointIdOf(id), overlapSeconds),
    );
    return {
      secret: rotated.secret,
      previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString(),
    };
  }

  @Get(':id/deliveries')
  async listDeliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: unknown,
  ) {
    const { limit } = parseRequest(webhookDeliveriesQuerySchema, query);
    const deliveries = valueOf(await this.deliveries.list(principal, endpointIdOf(id), limit));
    return { data: deliveries.map(webhookDeliveryRepresentation) };
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  async retry(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
  ) {
    if (!isId(deliveryId))
      throw new RefusalError({ code: 'webhook_delivery_not_found', deliveryId });
    return valueOf(await this.deliveries.retry(principal, endpointIdOf(id), deliveryId));
  }
}
