"""Sensors of a Talkety account: active calls, costs, the last call."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .const import MAX_LISTED_CALLS
from .coordinator import TalketyConfigEntry, TalketyCoordinator, TalketyData
from .core import CallStatus, Subject
from .entity import TalketyEntity
from .payload import LAST_CALL_KEYS, last_call, listed, recent

# Entities only read the coordinator's data: no request of their own.
PARALLEL_UPDATES = 0

STATUS_OPTIONS = [status.value for status in CallStatus]


def _newest(
    name: str, subjects: Iterable[Subject], coordinator: TalketyCoordinator
) -> dict[str, Any]:
    """A sensor's list of active calls or conferences: the newest first, bounded."""
    newest = sorted(subjects, key=lambda s: s.start or datetime.min, reverse=True)
    currency, contacts = coordinator.currency, coordinator.contacts
    return {
        name: [listed(subject, currency, contacts) for subject in newest[:MAX_LISTED_CALLS]],
        "truncated": len(newest) > MAX_LISTED_CALLS,
    }


def _call_list(coordinator: TalketyCoordinator, data: TalketyData) -> dict[str, Any]:
    return _newest("calls", data.active_calls, coordinator)


def _conference_list(coordinator: TalketyCoordinator, data: TalketyData) -> dict[str, Any]:
    return _newest("conferences", data.active_conferences, coordinator)


def _last_call(coordinator: TalketyCoordinator, data: TalketyData) -> dict[str, Any]:
    if data.last_ended is None:
        return {}
    return last_call(data.last_ended, coordinator.currency, coordinator.contacts)


def _recent_calls(coordinator: TalketyCoordinator, data: TalketyData) -> dict[str, Any]:
    currency, contacts = coordinator.currency, coordinator.contacts
    return {"calls": [recent(subject, currency, contacts) for subject in data.recent]}


@dataclass(frozen=True, kw_only=True)
class TalketySensorEntityDescription(SensorEntityDescription):
    """A Talkety sensor: how to read its value (and attributes) from the data."""

    value_fn: Callable[
        [TalketyCoordinator, TalketyData], int | float | str | Decimal | datetime | None
    ]
    attrs_fn: Callable[[TalketyCoordinator, TalketyData], Mapping[str, Any]] | None = None
    monetary: bool = False
    # A total over a period (state class total): when the period began.
    reset_fn: Callable[[TalketyData], datetime] | None = None
    # Kept over a restart: shown until the API tells a newer value.
    restore: bool = False


SENSORS: tuple[TalketySensorEntityDescription, ...] = (
    TalketySensorEntityDescription(
        key="active_calls",
        translation_key="active_calls",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda _, data: len(data.active_calls),
        attrs_fn=_call_list,
    ),
    TalketySensorEntityDescription(
        key="active_conferences",
        translation_key="active_conferences",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda _, data: len(data.active_conferences),
        attrs_fn=_conference_list,
    ),
    TalketySensorEntityDescription(
        key="running_cost",
        translation_key="running_cost",
        device_class=SensorDeviceClass.MONETARY,
        suggested_display_precision=4,
        monetary=True,
        value_fn=lambda _, data: data.running_cost,
    ),
    TalketySensorEntityDescription(
        key="cost_today",
        translation_key="cost_today",
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=4,
        monetary=True,
        reset_fn=lambda data: data.day_start,
        value_fn=lambda _, data: data.cost_today,
    ),
    TalketySensorEntityDescription(
        key="cost_month",
        translation_key="cost_month",
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=4,
        monetary=True,
        reset_fn=lambda data: data.month_start,
        value_fn=lambda _, data: data.cost_month,
    ),
    TalketySensorEntityDescription(
        key="recent_calls",
        translation_key="recent_calls",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda _, data: data.last_ended.end if data.last_ended else None,
        attrs_fn=_recent_calls,
    ),
    TalketySensorEntityDescription(
        key="last_call",
        translation_key="last_call",
        device_class=SensorDeviceClass.ENUM,
        options=STATUS_OPTIONS,
        value_fn=lambda _, data: data.last_ended.status.value if data.last_ended else None,
        attrs_fn=_last_call,
        restore=True,
    ),
    TalketySensorEntityDescription(
        key="last_call_cost",
        translation_key="last_call_cost",
        device_class=SensorDeviceClass.MONETARY,
        suggested_display_precision=4,
        monetary=True,
        value_fn=lambda _, data: data.last_ended.total_costs if data.last_ended else None,
        restore=True,
    ),
    TalketySensorEntityDescription(
        key="poll_interval",
        translation_key="poll_interval",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda _, data: data.interval,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: TalketyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        (TalketyRestoredSensor if description.restore else TalketySensor)(coordinator, description)
        for description in SENSORS
    )


class TalketySensor(TalketyEntity, SensorEntity):
    """A sensor computed from the coordinator's last poll."""

    entity_description: TalketySensorEntityDescription

    def __init__(
        self, coordinator: TalketyCoordinator, description: TalketySensorEntityDescription
    ) -> None:
        super().__init__(coordinator, description)
        if description.monetary:
            self._attr_native_unit_of_measurement = coordinator.currency

    @property
    def native_value(self) -> StateType | date | datetime | Decimal:
        return self.entity_description.value_fn(self.coordinator, self.coordinator.data)

    @property
    def last_reset(self) -> datetime | None:
        if (reset_fn := self.entity_description.reset_fn) is None:
            return None
        return reset_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        if self.entity_description.attrs_fn is None:
            return None
        return self.entity_description.attrs_fn(self.coordinator, self.coordinator.data)


class TalketyRestoredSensor(TalketySensor, RestoreSensor):
    """A last-call sensor: after a restart it shows what it showed before, until
    the API (the start-up lookup or a call that ends) has something to say."""

    _restored_value: StateType | date | datetime | Decimal = None
    _restored_attributes: Mapping[str, Any] | None = None

    async def async_added_to_hass(self) -> None:
        await super().async_added_to_hass()
        if (data := await self.async_get_last_sensor_data()) is not None:
            self._restored_value = data.native_value
        if (state := await self.async_get_last_state()) is not None:
            self._restored_attributes = {
                key: state.attributes[key] for key in LAST_CALL_KEYS if key in state.attributes
            }

    @property
    def native_value(self) -> StateType | date | datetime | Decimal:
        if self.coordinator.data.last_ended is None:
            return self._restored_value
        return super().native_value

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        if self.coordinator.data.last_ended is None and self._restored_attributes:
            return self._restored_attributes
        return super().extra_state_attributes
