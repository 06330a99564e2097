namespace IoTAdmin.Engine.Inventory;

/// <summary>
/// The generic requirement profiles of SYS.4.4 that a device is audited under.
/// </summary>
public enum DeviceProfile
{
    General,
    Camera,
    BuildingControl,
    Gateway,
}
